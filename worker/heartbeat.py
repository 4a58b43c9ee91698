"""Worker heartbeats, so ``plentysync status`` can tell whether anyone works the queues.

With Redis every worker process refreshes a key ``<namespace>:worker:<name>`` that expires
after the heartbeat TTL; a worker that died simply disappears. On a single host the worker
lives inside ``plentysync serve``, whose file lock says whether it runs (``serve_lock``).
``worker.deployment`` installs the middleware and reads the keys back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass

import dramatiq
import redis

from core.export.service import worker_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerInfo:
    """A worker alive now: a Redis worker process by its name, or ``serve`` on one host."""

    name: str


def heartbeat_prefix(namespace: str) -> str:
    """Where the heartbeat keys of the workers in ``namespace`` live."""
    return f"{namespace}:worker:"


class Heartbeat(dramatiq.Middleware):
    """Refreshes this worker process's heartbeat key in Redis while it runs."""

    def __init__(self, client: redis.Redis, ttl: float, prefix: str) -> None:
        self.client = client
        self.ttl = ttl
        self.prefix = prefix
        self.name = worker_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        self.client.set(self.prefix + self.name, "alive", px=int(self.ttl * 1000))

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
            self.client.delete(self.prefix + self.name)


def heartbeat_workers(client: redis.Redis, prefix: str) -> list[WorkerInfo]:
    """The workers whose heartbeat key has not expired, by name."""
    keys = client.scan_iter(match=prefix + "*", count=500)
    return [WorkerInfo(name) for name in sorted(k.decode()[len(prefix) :] for k in keys)]
