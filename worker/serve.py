"""``plentysync serve`` and ``plentysync scheduler``: the long-running processes besides workers.

``serve`` is the single-host mode: an embedded service (workers on the in-memory broker and
the scheduler, which always leads) in this process until it is told to stop; with Redis it
is one more worker and scheduler on the shared broker. On a single host PlentyONE's token
and budget are shared through the database, so CLI exports running beside ``serve`` stay
inside the same budget. The serve lock in the data directory makes sure only one ``serve``
runs per data directory. ``scheduler`` is the Redis deployment's scheduler process: it
leads through the Redis lock or stands by.
"""

from __future__ import annotations

import threading

from core.db import init_database
from core.errors import ConfigError
from worker.deployment import Deployment, choose_deployment
from worker.serve_lock import lock_path, serve_lock

__all__ = ["lock_path", "run_scheduler", "serve", "serve_lock"]

# How long ``serve`` gives the batches in flight to end after it was told to stop.
STOP_TIMEOUT_S = 600.0


def serve(
    stop: threading.Event, *, threads: int | None = None, deployment: Deployment | None = None
) -> None:
    """Work and schedule until ``stop`` is set; refuses when another ``serve`` holds the lock."""
    chosen = deployment or choose_deployment()
    # With Redis too: then a worker and a standby scheduler of its own on the shared broker.
    service = chosen.service(threads)
    service.start(before=lambda: init_database(announce=True))
    try:
        stop.wait()
    finally:
        service.stop(STOP_TIMEOUT_S)


def run_scheduler(stop: threading.Event, *, deployment: Deployment | None = None) -> None:
    """The production scheduler process: leads through Redis, or stands by for the leader."""
    chosen = deployment or choose_deployment()
    if chosen.kind != "redis":
        raise ConfigError(
            "the scheduler process needs PLENTYSYNC_REDIS_URL; on a single host run "
            "'plentysync serve', which schedules as well"
        )
    init_database(announce=True)
    chosen.scheduler(chosen.courier()).run(stop)
