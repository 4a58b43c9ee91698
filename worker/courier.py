"""Sending work to the workers: messages that carry ids only, never the work itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dramatiq

from core.db.models import Run, RunBatch
from core.export.connections import Backends
from core.export.runs import run_options
from worker import jobs
from worker.broker import BULK, LIVE
from worker.redis_outages import redis_outage
from worker.routes import declare_actors, route_of


class Courier:
    """Sends the actors' messages through one broker (the workers' or a test's).

    Each message names its actor by the job function (``worker.routes``); the broker must
    know that actor, so a renamed or missing actor raises at the send. A broker without any
    actors (a process that only sends, a test's) gets them declared here. A run's messages
    go to the live queue when the run drains a queue, else to the bulk queue. ``delay`` is
    in seconds. A broker whose Redis cannot be reached raises ``InfrastructureError``; the
    database still holds the work, and the sweeper sends it. ``backends`` is where the jobs
    this courier's actors run share PlentyONE's token and budget (default: the database);
    ``on_enumerate`` hears of each run whose enumeration it sent.
    """

    def __init__(
        self,
        broker: dramatiq.Broker | None = None,
        backends: Backends | None = None,
        *,
        on_enumerate: Callable[[int], object] | None = None,
    ) -> None:
        self.broker = broker or dramatiq.get_broker()
        self._backends = backends or Backends()
        self._on_enumerate = on_enumerate
        if not self.broker.actors:
            declare_actors(self.broker, lambda: self)

    @property
    def backends(self) -> Backends:
        return self._backends

    def send(
        self,
        job: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        queue: str,
        delay: float = 0.0,
        **opts: Any,
    ) -> None:
        """Send ``job``'s actor a message with ``args`` on ``queue``."""
        route = route_of(job)
        actor = self.broker.get_actor(route.name)  # ActorNotFound: renamed on one side
        message = actor.message_with_options(args=args, **opts).copy(queue_name=queue)
        with redis_outage(f"sending {route.name}"):
            self.broker.declare_queue(queue)
            self.broker.enqueue(message, delay=int(delay * 1000) if delay > 0 else None)

    def enumerate(self, run_id: int, *, delay: float = 0.0) -> None:
        self.send(jobs.enumerate_run, (run_id,), queue=queue_of(run_id), delay=delay)
        if self._on_enumerate is not None:
            self._on_enumerate(run_id)

    def batch(self, run_id: int, batch_id: int, *, delay: float = 0.0, time_limit_s: float) -> None:
        self.send(
            jobs.work_batch,
            (batch_id,),
            queue=queue_of(run_id, batch_id),
            delay=delay,
            time_limit=int(time_limit_s * 1000),
        )

    def drain(self, profile_id: int, *, delay: float = 0.0) -> None:
        self.send(jobs.drain_queue, (profile_id,), queue=LIVE, delay=delay)

    def watch(self, profile_id: int, firing_id: int | None = None) -> None:
        self.send(jobs.watch, (profile_id, firing_id), queue=LIVE)

    def reconcile(self, profile_id: int) -> None:
        self.send(jobs.reconcile, (profile_id,), queue=LIVE)

    def collect(self, profile_id: int, *, delay: float = 0.0) -> None:
        self.send(jobs.collect_config, (profile_id,), queue=LIVE, delay=delay)


def queue_of(run_id: int, batch_id: int | None = None) -> str:
    """Live for a drain run and for the queued customers put in front of a bulk run."""
    run = Run.get_or_none(Run.id == run_id)
    if run is None:
        return BULK
    if run_options(run).queue:
        return LIVE
    if batch_id is not None:
        sequence = RunBatch.select(RunBatch.sequence).where(RunBatch.id == batch_id).scalar()
        if sequence is not None and int(sequence) < 0:
            return LIVE
    return BULK


class DramatiqExecutor:
    """The engine's executor for workers: ``submit`` sends the run's enumerate message."""

    def __init__(self, courier: Courier | None = None) -> None:
        self.courier = courier or Courier()

    def submit(self, run: Run) -> None:
        self.courier.enumerate(run.id)
