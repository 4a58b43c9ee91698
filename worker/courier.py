"""Sending work to the workers: messages that carry ids only, never the work itself."""

from __future__ import annotations

from typing import Any

import dramatiq

from core.db.models import Run
from core.export.runs import run_options
from worker.broker import BULK, LIVE
from worker.redis_outages import redis_outage


class Courier:
    """Sends the actors' messages through one broker (the workers' or a test's).

    A run's messages go to the live queue when the run drains a queue, else to the bulk
    queue. ``delay`` is in seconds. A broker whose Redis cannot be reached raises
    ``InfrastructureError``; the database still holds the work, and the sweeper sends it.
    """

    def __init__(self, broker: dramatiq.Broker | None = None) -> None:
        self.broker = broker or dramatiq.get_broker()

    def _send(
        self, actor_name: str, args: tuple[Any, ...], *, queue: str, delay: float = 0.0, **opts: Any
    ) -> None:
        # Built by name, so a process that only sends (the scheduler, a test) needs no actors.
        message: dramatiq.Message[Any] = dramatiq.Message(
            queue_name=queue, actor_name=actor_name, args=args, kwargs={}, options=opts
        )
        with redis_outage(f"sending {actor_name}"):
            self.broker.declare_queue(queue)
            self.broker.enqueue(message, delay=int(delay * 1000) if delay > 0 else None)

    def enumerate(self, run_id: int, *, delay: float = 0.0) -> None:
        self._send("enumerate_run", (run_id,), queue=queue_of(run_id), delay=delay)

    def batch(self, run_id: int, batch_id: int, *, delay: float = 0.0, time_limit_s: float) -> None:
        self._send(
            "export_batch",
            (batch_id,),
            queue=queue_of(run_id),
            delay=delay,
            time_limit=int(time_limit_s * 1000),
        )

    def drain(self, profile_id: int, *, delay: float = 0.0) -> None:
        self._send("drain_queue", (profile_id,), queue=LIVE, delay=delay)

    def watch(self, profile_id: int, firing_id: int | None = None) -> None:
        self._send("watch_source", (profile_id, firing_id), queue=LIVE)

    def reconcile(self, profile_id: int) -> None:
        self._send("reconcile", (profile_id,), queue=LIVE)

    def collect(self, profile_id: int, *, delay: float = 0.0) -> None:
        self._send("collect_config", (profile_id,), queue=LIVE, delay=delay)


def queue_of(run_id: int) -> str:
    run = Run.get_or_none(Run.id == run_id)
    return LIVE if run is not None and run_options(run).queue else BULK


class DramatiqExecutor:
    """The engine's executor for workers: ``submit`` sends the run's enumerate message."""

    def __init__(self, courier: Courier | None = None) -> None:
        self.courier = courier or Courier()

    def submit(self, run: Run) -> None:
        self.courier.enumerate(run.id)
