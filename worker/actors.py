"""The Dramatiq actors. Import this module to run workers: ``dramatiq worker.actors``.

Each actor takes ids, never the work, and hands over to ``worker.jobs``. Only transient
errors are retried by Dramatiq; a configuration or credentials error fails the run at once,
and waiting for PlentyONE's budget re-sends the message with a delay instead of retrying.
"""

from __future__ import annotations

import logging

import dramatiq

from core.db import init_database
from core.errors import InfrastructureError, TransientError
from core.files import restrict_umask
from core.operations.logfile import configure_logging
from worker import jobs
from worker.broker import BULK, LIVE, setup_broker
from worker.courier import Courier
from worker.heartbeat import install_heartbeat
from worker.metrics import install_metrics

log = logging.getLogger(__name__)

broker = setup_broker()

MAX_RETRIES = 8


def transient_only(retries: int, exc: BaseException) -> bool:
    """Retry network trouble, 5xx answers and our own outages a few times; the rest is final.

    A ``RateLimitedError`` is no retry: the jobs give their work back with the wait it names.
    """
    return isinstance(exc, TransientError | InfrastructureError) and retries < MAX_RETRIES


class ProcessSetup(dramatiq.Middleware):
    """In each ``dramatiq`` worker process: private files, and the CLI's masked logging.

    Dramatiq has given the process its log stream by then; ``serve`` and ``scheduler`` get
    the same set-up from the CLI, so this hook only runs in Dramatiq's own processes.
    """

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        restrict_umask()
        configure_logging()


class DatabaseMiddleware(dramatiq.Middleware):
    """Opens the configured database once per worker process, before the first message."""

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        init_database(announce=True)


broker.add_middleware(ProcessSetup())
broker.add_middleware(DatabaseMiddleware())
install_heartbeat(broker)
install_metrics(broker)


def _courier() -> Courier:
    return Courier(broker)


@dramatiq.actor(queue_name=BULK, retry_when=transient_only, time_limit=300_000)
def enumerate_run(run_id: int) -> None:
    jobs.enumerate_run(run_id, _courier())


@dramatiq.actor(queue_name=BULK, retry_when=transient_only)
def export_batch(batch_id: int) -> None:
    jobs.work_batch(batch_id, _courier())


@dramatiq.actor(queue_name=LIVE, retry_when=transient_only, time_limit=60_000)
def drain_queue(profile_id: int) -> None:
    jobs.drain_queue(profile_id, _courier())


@dramatiq.actor(queue_name=LIVE, retry_when=transient_only, time_limit=600_000)
def watch_source(profile_id: int, firing_id: int | None = None) -> None:
    jobs.watch(profile_id, firing_id, _courier())


@dramatiq.actor(queue_name=LIVE, retry_when=transient_only, time_limit=300_000)
def reconcile(profile_id: int) -> None:
    jobs.reconcile(profile_id, _courier())


@dramatiq.actor(queue_name=LIVE, retry_when=transient_only, time_limit=300_000)
def collect_config(profile_id: int) -> None:
    jobs.collect_config(profile_id, _courier())
