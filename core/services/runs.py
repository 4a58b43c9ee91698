"""Runs as a front end shows them: one listing, one run's detail, its pace, cancel, resume facts.

``list_runs`` serves both "the runs" and "the history": they are one listing with filters.
Every answer is a frozen value read from the database; nothing here works a run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from core.db.models import Run, RunItem, utcnow
from core.errors import ConfigError, InputError
from core.export.owner import OwnerState, run_owner
from core.export.runs import RUN_OPEN
from core.export.runs import cancel_run as _cancel
from core.operations.history import COUNTS, Cleared, customers_not_in_magento, run_items, runs_query
from core.operations.history import clear_history as remove_finished_runs
from core.profiles.service import get_profile

# The statuses ``plentysync run resume`` opens again (an inline run whose process died also
# resumes, whatever it says).
RESUMABLE = ("stale", "failed", "cancelled")


class UnknownRun(InputError):
    """No run has this id; ``run_id`` says which, so a front end can add where to look."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"no run {run_id}")
        self.run_id = run_id


@dataclass(frozen=True)
class RunFilter:
    """Which runs a listing shows: ``status`` "error" means any trouble (see ``list_runs``)."""

    profile: str | int | None = None
    status: str | None = None
    trigger: str | None = None
    error_class: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class RunSummary:
    """One run as a list shows it: its counts, calls, time and who works it."""

    run: int
    profile: int
    profile_name: str
    trigger: str
    status: str
    total: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    conflicts: int
    api_reads: int
    api_writes: int
    error: str | None
    seconds: float | None
    created_at: dt.datetime
    owner: str | None  # open inline runs: who works it, or that its process is gone
    # A paused run: why its guardrail stopped it (``run resume`` goes on).
    pause_reason: str | None = None

    def summary(self) -> dict[str, Any]:
        """The run's figures as ``customer export --json`` prints them."""
        return {
            "run": self.run,
            "profile": self.profile,
            "status": self.status,
            "total": self.total,
            **{name: getattr(self, name) for name in COUNTS},
            "api_calls": {"read": self.api_reads, "write": self.api_writes},
            "error": self.error,
            "seconds": self.seconds,
            **({"pause_reason": self.pause_reason} if self.pause_reason else {}),
        }

    @property
    def done(self) -> int:
        """Customers with an outcome so far."""
        return sum(getattr(self, name) for name in COUNTS)


def _summary(run: Run) -> RunSummary:
    seconds = None
    if run.finished_at and run.started_at:
        seconds = round((run.finished_at - run.started_at).total_seconds(), 1)
    return RunSummary(
        run=run.id,
        profile=run.profile_id,
        profile_name=run.profile.name,
        trigger=run.trigger,
        status=run.status,
        total=run.total,
        **{name: getattr(run, name) for name in COUNTS},
        api_reads=run.api_reads,
        api_writes=run.api_writes,
        error=run.error or None,
        seconds=seconds,
        created_at=run.created_at,
        owner=_owner(run),
        pause_reason=(run.pause_reason or None) if run.status == "paused" else None,
    )


def _owner(run: Run) -> str | None:
    owner = run_owner(run)
    if run.status not in RUN_OPEN or owner.state == "none":
        return None
    if owner.state == "gone":
        return f"{owner.describe()} is gone: 'plentysync run resume {run.id}'"
    return owner.describe()


def _run(run_id: int) -> Run:
    run = Run.get_or_none(Run.id == run_id)
    if run is None:
        raise UnknownRun(run_id)
    return run


def list_runs(wanted: RunFilter | None = None) -> list[RunSummary]:
    """The latest runs, newest first: the runs list and the history are this one listing.

    ``error_class`` keeps runs with at least one customer result of that class (for example
    ``DataError``); ``trigger`` keeps runs started that way (manual, schedule, queue ...).
    """
    wanted = wanted or RunFilter()
    profile_id = get_profile(wanted.profile).id if wanted.profile is not None else None
    if wanted.limit < 1:
        raise InputError(f"limit {wanted.limit}: show at least one run")
    query = runs_query(profile_id, status=wanted.status)
    if wanted.trigger is not None:
        query = query.where(Run.trigger == wanted.trigger)
    if wanted.error_class is not None:
        with_class = RunItem.select(RunItem.run).where(RunItem.error_class == wanted.error_class)
        query = query.where(Run.id.in_(with_class))
    return [_summary(run) for run in query.limit(wanted.limit)]


def run_summary(run_id: int) -> RunSummary:
    """One run's summary (what an export prints when it ends)."""
    return _summary(_run(run_id))


@dataclass(frozen=True)
class RunItemView:
    """What one run did to one customer: action, contact, how long it took, and why."""

    entity: str  # "customer:17", "guest:..."
    action: str
    contact_id: int | None
    error_class: str | None
    reason: str | None
    seconds: float | None


@dataclass(frozen=True)
class RunDetail:
    """One run: its summary, its errors per class, and each customer's result, errors first."""

    summary: RunSummary
    peak_memory_kb: int | None
    error_classes: dict[str, int]  # error class -> customers, most frequent first
    items: tuple[RunItemView, ...]
    not_in_magento: tuple[int, ...]  # ids the run was given that Magento does not have


def run_detail(run_id: int, *, limit: int | None = 200) -> RunDetail:
    """Everything known about one run; ``limit`` bounds the customers listed (None: all)."""
    run = _run(run_id)
    items = tuple(
        RunItemView(
            entity=f"{i.entity_type}:{i.entity_key}",
            action=i.action,
            contact_id=i.contact_id,
            error_class=i.error_class or None,
            reason=i.message or None,
            seconds=i.seconds,
        )
        for i in run_items(run.id, limit=limit)
    )
    classes = Counter(
        str(row.error_class)
        for row in RunItem.select(RunItem.error_class).where(
            (RunItem.run == run.id) & (RunItem.error_class != "")
        )
    )
    return RunDetail(
        summary=_summary(run),
        peak_memory_kb=run.peak_memory_kb or None,
        error_classes=dict(classes.most_common()),
        items=items,
        not_in_magento=tuple(customers_not_in_magento(run.id)),
    )


@dataclass(frozen=True)
class RunThroughput:
    """How fast one run goes: customers and PlentyONE calls per minute since it started."""

    run: int
    customers_done: int
    total: int
    elapsed_seconds: float | None  # None: not started yet
    customers_per_minute: float | None
    writes_per_minute: float | None
    reads_per_minute: float | None


def run_throughput(run_id: int, *, now: dt.datetime | None = None) -> RunThroughput:
    """A run's pace: over its whole time when it ended, up to ``now`` while it is open."""
    summary = run_summary(run_id)
    run = _run(run_id)
    elapsed = None
    if run.started_at is not None:
        end = run.finished_at or now or utcnow()
        elapsed = max(0.0, (end - run.started_at).total_seconds())

    def per_minute(count: int) -> float | None:
        if not elapsed:
            return None
        return round(count * 60 / elapsed, 1)

    return RunThroughput(
        run=run.id,
        customers_done=summary.done,
        total=summary.total,
        elapsed_seconds=None if elapsed is None else round(elapsed, 1),
        customers_per_minute=per_minute(summary.done),
        writes_per_minute=per_minute(summary.api_writes),
        reads_per_minute=per_minute(summary.api_reads),
    )


def cancel_run(run_id: int) -> RunSummary:
    """Stop an open run: batches not started are not worked, the one in flight finishes.

    A run that is not open raises a ``ConfigError`` naming its status.
    """
    run = _run(run_id)
    if not _cancel(run.id):
        raise ConfigError(f"run {run.id} is {run.status}, not open: nothing to cancel")
    return run_summary(run.id)


@dataclass(frozen=True)
class Resumability:
    """Whether and how a run can go on: ``how`` is "inline" (worked by the front end's
    process, its owner being gone), "workers" (its batches sent again), or "no"."""

    run: int
    status: str
    owner_state: OwnerState
    owner: str | None
    how: Literal["inline", "workers", "no"]
    reason: str


def resumable(run_id: int) -> Resumability:
    """The facts a front end shows before it offers to resume a run."""
    run = _run(run_id)
    owner = run_owner(run)
    how: Literal["inline", "workers", "no"]
    if owner.state != "none":
        alive = owner.state == "alive" and run.status in RUN_OPEN
        how = "no" if alive else "inline"
        reason = (
            f"{owner.describe()} works it now"
            if alive
            else "an inline run: worked again in this process"
        )
    elif run.status in RESUMABLE:
        how, reason = "workers", "its open batches are sent again"
    else:
        how = "no"
        reason = f"run {run.id} is {run.status}: only stale, failed or cancelled runs resume"
    return Resumability(
        run=run.id,
        status=run.status,
        owner_state=owner.state,
        owner=_owner(run),
        how=how,
        reason=reason,
    )


def clear_history(older_than: dt.timedelta) -> Cleared:
    """Remove finished runs created more than ``older_than`` ago; open runs always stay."""
    if older_than < dt.timedelta(0):
        raise InputError("older than a negative time: give 0 or more days")
    return remove_finished_runs(older_than)
