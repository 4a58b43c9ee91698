"""Worker heartbeats, so ``plentysync status`` can tell whether anyone works the queues.

With Redis every worker process refreshes a key ``<namespace>:worker:<name>`` that expires
after the heartbeat TTL; a worker that died simply disappears. On a single host the worker
lives inside ``plentysync serve``, whose file lock says whether it runs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

import dramatiq
import redis
from filelock import Timeout

from core.export.service import worker_name
from core.operations.settings import HealthSettings
from core.settings import get_settings
from worker.backends import redis_client
from worker.settings import get_worker_settings

log = logging.getLogger(__name__)


def _prefix() -> str:
    return f"{get_worker_settings().redis_namespace}:worker:"


class Heartbeat(dramatiq.Middleware):
    """Refreshes this worker process's heartbeat key in Redis while it runs."""

    def __init__(self, client: redis.Redis, ttl: float) -> None:
        self.client = client
        self.ttl = ttl
        self.name = worker_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        self.client.set(_prefix() + self.name, "alive", px=int(self.ttl * 1000))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except redis.RedisError as exc:
                log.warning("heartbeat not written: %s", exc)
            self._stop.wait(self.ttl / 3)

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # Named in the worker process itself: the middleware may be built before a fork.
        self.name = worker_name()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()
        with contextlib.suppress(redis.RedisError):  # the key expires on its own anyway
            self.client.delete(_prefix() + self.name)


def install_heartbeat(broker: dramatiq.Broker) -> None:
    """Add the heartbeat to ``broker`` when workers share Redis (nothing to do on one host)."""
    url = get_settings().redis_url
    if url:
        broker.add_middleware(Heartbeat(redis_client(url), HealthSettings().worker_ttl_s))


def live_workers() -> list[str]:
    """The workers alive now: heartbeat keys with Redis, else ``serve`` if it holds its lock."""
    url = get_settings().redis_url
    if url:
        prefix = _prefix()
        keys = redis_client(url).scan_iter(match=prefix + "*", count=500)
        return sorted(k.decode()[len(prefix) :] for k in keys)
    from worker.serve import lock_path, serve_lock

    if not Path(lock_path()).exists():
        return []
    lock = serve_lock()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return ["serve"]
    lock.release()
    return []
