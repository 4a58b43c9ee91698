"""The actors: each job function of ``worker.jobs`` with its Dramatiq name, queue and limits.

The table is keyed by the job function itself. The courier looks a message's actor up by
that function and the workers declare their actors from the same table, so an actor cannot
be renamed on one side only; a function without an entry fails when it is sent, not
silently in a queue nobody consumes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq

from core.errors import InfrastructureError, TransientError
from worker import jobs
from worker.broker import BULK, LIVE
from worker.sending import Sender

MAX_RETRIES = 8


def transient_only(retries: int, exc: BaseException) -> bool:
    """Retry network trouble, 5xx answers and our own outages a few times; the rest is final.

    A ``RateLimitedError`` is no retry: the jobs give their work back with the wait it names.
    """
    return isinstance(exc, TransientError | InfrastructureError) and retries < MAX_RETRIES


@dataclass(frozen=True)
class Route:
    """One actor: its message name, default queue and Dramatiq time limit (ms)."""

    name: str
    queue: str
    time_limit_ms: int | None = None


ROUTES: dict[Callable[..., Any], Route] = {
    jobs.enumerate_run: Route("enumerate_run", BULK, 300_000),
    # A batch's limit depends on its run's client and is sent with each message.
    jobs.work_batch: Route("export_batch", BULK),
    jobs.drain_queue: Route("drain_queue", LIVE, 60_000),
    jobs.watch: Route("watch_source", LIVE, 600_000),
    jobs.reconcile: Route("reconcile", LIVE, 300_000),
    jobs.collect_config: Route("collect_config", LIVE, 300_000),
}


def route_of(job: Callable[..., Any]) -> Route:
    """The actor of ``job``; a job without one is a programming error, raised at once."""
    try:
        return ROUTES[job]
    except KeyError:
        name = getattr(job, "__qualname__", repr(job))
        raise LookupError(f"{name} is no actor: add it to worker.routes.ROUTES") from None


def declare_actors(broker: dramatiq.Broker, sender_for: Callable[[], Sender]) -> None:
    """Declare every actor of the table on ``broker``; each runs its job with a sender."""
    for job, route in ROUTES.items():
        if route.name in broker.actors:
            continue
        options: dict[str, Any] = {"retry_when": transient_only}
        if route.time_limit_ms is not None:
            options["time_limit"] = route.time_limit_ms
        declare = dramatiq.actor(
            actor_name=route.name, queue_name=route.queue, broker=broker, **options
        )
        declare(_body(job, sender_for))


def _body(job: Callable[..., Any], sender_for: Callable[[], Sender]) -> Callable[..., None]:
    def run(*args: Any) -> None:
        job(*args, sender_for())

    run.__name__ = run.__qualname__ = job.__name__
    return run
