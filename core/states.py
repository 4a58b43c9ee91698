"""The states plentysync keeps as text, each defined once as a ``Literal``.

The database stores them as plain strings; in Python every function and value type that
takes or returns one is annotated with its type here, so mypy refuses a misspelt state
(``"parkd"``) and a reader finds the allowed values in one place. ``values(T)`` lists them
at run time (for checks, choices and tests).

Lifecycle of one export, outermost first::

    Run       RunStatus     pending → running → done | failed | cancelled | stale
                            running → paused (a guardrail) → running (resume) | cancelled
    RunBatch  BatchStatus   pending → leased → done | failed (leased → pending again)
    one go at a batch       BatchEnd    done | parked | waiting
    one entity              OutcomeAction   an Action, or parked (tried again in its batch)
    its result row          Action      created | updated | unchanged | skipped | failed | conflict
    its contact, found by   Resolved    link | index | identity | email | guest | new
"""

from __future__ import annotations

from typing import Any, Literal, get_args

__all__ = [
    "Action",
    "BatchEnd",
    "BatchStatus",
    "FiringKind",
    "OutcomeAction",
    "QueueStatus",
    "Resolved",
    "RunStatus",
    "RunTrigger",
    "values",
]

RunStatus = Literal["pending", "running", "paused", "done", "failed", "cancelled", "stale"]
"""A run: waiting for its first batch, working, stopped by a guardrail until someone resumes
or cancels it (``paused``, its batches kept), or ended (``stale``: its process died)."""

RunTrigger = Literal["manual", "schedule", "queue", "reconcile", "demo"]
"""What started a run."""

BatchStatus = Literal["pending", "leased", "done", "failed"]
"""A stored batch: due (perhaps not before a time), held by a worker, or settled."""

BatchEnd = Literal["done", "parked", "waiting"]
"""What one go at a batch came to.

``done``: every entity has its final result. ``parked``: some entities come back after the
park delay, for an attempt. ``waiting``: the batch went back for ``retry_after`` seconds
(a budget, a 429, an outage of ours, its time was up) without spending an attempt.
"""

Action = Literal["created", "updated", "unchanged", "skipped", "failed", "conflict"]
"""The final result of one entity in a run, as its run item keeps it."""

OutcomeAction = Literal[Action, "parked"]
"""What exporting an entity once came to: a final ``Action``, or ``parked`` for later."""

Resolved = Literal["link", "index", "identity", "email", "guest", "new"]
"""How the PlentyONE contact of an entity was found (``new``: there is none yet)."""

QueueStatus = Literal["pending", "processing", "changed", "failed"]
"""A queue item: due; in a run now; changed again while in a run (due once that run is
through with it); or given up on until someone retries it."""

FiringKind = Literal["watch", "reconcile"]
"""What a schedule firing does: look for changes in the shop, or export the whole profile."""


def values(state: Any) -> tuple[str, ...]:
    """The allowed values of one of these types, in their order of definition.

    A ``Literal`` made of another (``OutcomeAction``) is flattened by ``typing`` itself.
    """
    return tuple(get_args(state))
