"""``plentysync serve``: the single-host mode, workers and scheduler in one process.

Without ``PLENTYSYNC_REDIS_URL`` the actors run on Dramatiq's in-memory broker with one
in-process worker, the scheduler always leads, and PlentyONE's token and budget are shared
through the database (so CLI exports running beside ``serve`` stay inside the same budget).
A file lock in the data directory makes sure only one ``serve`` runs per data directory.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

import dramatiq
from dramatiq.brokers.stub import StubBroker
from filelock import FileLock, Timeout

from core.db import init_database
from core.errors import ConfigError
from core.export.service import worker_name
from core.files import FILE_MODE, private_dir
from core.settings import get_settings
from worker.backends import redis_client
from worker.courier import Courier
from worker.leader import Leadership, RedisLeadership, SoleLeadership
from worker.scheduler import Scheduler
from worker.settings import get_worker_settings
from worker.sweeper import sweep

log = logging.getLogger(__name__)


def lock_path() -> str:
    return str(get_settings().home / "serve.lock")


def serve_lock() -> FileLock:
    """The lock that keeps one ``serve`` per data directory; its file is private."""
    return FileLock(lock_path(), mode=FILE_MODE)


def serve(stop: threading.Event, *, threads: int | None = None) -> None:
    """Work and schedule until ``stop`` is set; refuses when another ``serve`` holds the lock."""
    settings = get_settings()
    worker_settings = get_worker_settings()
    private_dir(settings.home)
    lock = serve_lock()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise ConfigError(
            f"another 'plentysync serve' runs on this data directory (lock {lock_path()})"
        ) from None
    try:
        init_database(announce=True)
        from worker import actors  # installs the broker and declares the actors

        courier = Courier(actors.broker)
        leadership: Leadership = SoleLeadership()
        if isinstance(actors.broker, StubBroker):
            # Nothing can be in flight in a broker that just started empty: pick up at once
            # whatever an earlier serve or the CLI left open.
            sweep(courier, grace=dt.timedelta(0), stale_after=dt.timedelta(days=3650))
        elif settings.redis_url:
            leadership = RedisLeadership(
                redis_client(settings.redis_url),
                f"{worker_settings.redis_namespace}:scheduler-leader",
                owner=worker_name(),
                ttl=worker_settings.lock_ttl_s,
            )
        count = threads or worker_settings.threads
        worker = dramatiq.Worker(actors.broker, worker_threads=count)
        worker.start()
        log.info("plentysync serve: %d worker threads and the scheduler are running", count)
        try:
            Scheduler(courier, leadership, worker_settings).run(stop)
        finally:
            worker.stop()
    finally:
        lock.release()


def run_scheduler(stop: threading.Event) -> None:
    """The production scheduler process: leads through Redis, or stands by for the leader."""
    settings = get_settings()
    if not settings.redis_url:
        raise ConfigError(
            "the scheduler process needs PLENTYSYNC_REDIS_URL; on a single host run "
            "'plentysync serve', which schedules as well"
        )
    worker_settings = get_worker_settings()
    init_database(announce=True)
    from worker.broker import setup_broker

    leadership = RedisLeadership(
        redis_client(settings.redis_url),
        f"{worker_settings.redis_namespace}:scheduler-leader",
        owner=worker_name(),
        ttl=worker_settings.lock_ttl_s,
    )
    Scheduler(Courier(setup_broker()), leadership, worker_settings).run(stop)
