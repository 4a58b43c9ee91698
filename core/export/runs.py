"""Runs and their batches in the database: the durable truth of every export.

A run is enumerated into ``RunBatch`` rows; executors lease a batch, export it and mark it
done. Every state change is a conditional update, so two workers never both own a batch and a
run is finished exactly once, by whoever sees the last batch done.
"""

from __future__ import annotations

import datetime as dt
import resource
from collections.abc import Sequence
from typing import Any, Literal, get_args

import peewee as pw
from pydantic import BaseModel, ConfigDict, Field

from core.db.connection import write_transaction
from core.db.models import Profile, Run, RunBatch, utcnow
from core.states import BatchStatus, RunStatus

RUN_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
RUN_OPEN: tuple[RunStatus, ...] = ("pending", "running")
# Stopped, not ended: a paused run keeps its batches until it is resumed or cancelled.
RUN_CANCELLABLE: tuple[RunStatus, ...] = (*RUN_OPEN, "paused")
RUN_RESUMABLE: tuple[RunStatus, ...] = ("paused", "stale", "failed", "cancelled")
BATCH_OPEN: tuple[BatchStatus, ...] = ("pending", "leased")
DEFAULT_LEASE = dt.timedelta(minutes=5)


class RunOptions(BaseModel):
    """What a run covers and how it behaves; stored with the run."""

    model_config = ConfigDict(extra="forbid")

    entity_ids: list[int] | None = None
    new_only: bool = False
    store_id: int | None = None
    force: bool = False
    limit: int | None = Field(
        default=None, ge=1, description="at most this many entities, in enumeration order"
    )
    behaviour: Literal["append", "sync"] = "append"
    guests: bool = True
    build_index: bool | None = Field(default=None, description="None: decide by size")
    queue: bool = Field(default=False, description="keys come from the profile's queue")


def create_run(profile: Profile, trigger: str, options: RunOptions) -> Run:
    with write_transaction():
        run: Run = Run.create(
            profile=profile, trigger=trigger, options=options.model_dump(), status="pending"
        )
    return run


def run_options(run: Run) -> RunOptions:
    return RunOptions.model_validate(run.options or {})


def start_run(run_id: int) -> bool:
    """pending -> running, once."""
    now = utcnow()
    with write_transaction():
        changed = (
            Run.update(status="running", started_at=now, last_progress_at=now)
            .where((Run.id == run_id) & (Run.status == "pending"))
            .execute()
        )
    return bool(changed)


def add_batches(
    run_id: int,
    keys: Sequence[str],
    size: int,
    *,
    cursor: str | None = None,
    done: bool = False,
    not_before: dt.datetime | None = None,
) -> int:
    """Append batches of ``size`` entity keys; move the enumeration cursor in the same commit."""
    with write_transaction():
        last = RunBatch.select(pw.fn.MAX(RunBatch.sequence)).where(RunBatch.run == run_id).scalar()
        sequence = -1 if last is None else int(last)
        rows = []
        for start in range(0, len(keys), size):
            sequence += 1
            rows.append(
                {
                    "run": run_id,
                    "sequence": sequence,
                    "entity_keys": list(keys[start : start + size]),
                    "not_before": not_before,
                }
            )
        if rows:
            RunBatch.insert_many(rows).execute()
        changes: dict[Any, Any] = {Run.total: Run.total + len(keys)}
        if cursor is not None:
            changes[Run.cursor] = cursor
        if done:
            changes[Run.enumerated] = True
        Run.update(changes).where(Run.id == run_id).execute()
    return len(rows)


def lease_batch(batch_id: int, owner: str, ttl: dt.timedelta = DEFAULT_LEASE) -> RunBatch | None:
    """Take a batch that is pending (and due) or whose lease expired; None when someone has it."""
    now = utcnow()
    with write_transaction():
        changed = (
            RunBatch.update(
                status="leased",
                lease_owner=owner,
                lease_expires_at=now + ttl,
                attempts=RunBatch.attempts + 1,
                updated_at=now,
            )
            .where(
                (RunBatch.id == batch_id)
                & (
                    (
                        (RunBatch.status == "pending")
                        & (RunBatch.not_before.is_null() | (RunBatch.not_before <= now))
                    )
                    | ((RunBatch.status == "leased") & (RunBatch.lease_expires_at < now))
                )
            )
            .execute()
        )
    return RunBatch.get_by_id(batch_id) if changed else None


def next_due_batch(run_id: int) -> tuple[int | None, dt.datetime | None]:
    """The id of a batch that can be leased now, else when the next one becomes due."""
    now = utcnow()
    due = (
        RunBatch.select(RunBatch.id)
        .where(
            (RunBatch.run == run_id)
            & (
                (
                    (RunBatch.status == "pending")
                    & (RunBatch.not_before.is_null() | (RunBatch.not_before <= now))
                )
                | ((RunBatch.status == "leased") & (RunBatch.lease_expires_at < now))
            )
        )
        .order_by(RunBatch.sequence)
        .first()
    )
    if due is not None:
        return int(due.id), None
    pending = (
        RunBatch.select(pw.fn.MIN(RunBatch.not_before))
        .where((RunBatch.run == run_id) & (RunBatch.status == "pending"))
        .scalar()
    )
    leased = (
        RunBatch.select(pw.fn.MIN(RunBatch.lease_expires_at))
        .where((RunBatch.run == run_id) & (RunBatch.status == "leased"))
        .scalar()
    )
    times = [t for t in (pending, leased) if t is not None]
    return None, min(times) if times else None


def renew_lease(batch_id: int, owner: str, ttl: dt.timedelta = DEFAULT_LEASE) -> bool:
    with write_transaction():
        return bool(
            RunBatch.update(lease_expires_at=utcnow() + ttl)
            .where(
                (RunBatch.id == batch_id)
                & (RunBatch.lease_owner == owner)
                & (RunBatch.status == "leased")
            )
            .execute()
        )


def settle_batch(
    batch_id: int, owner: str, status: Literal["done", "failed"], error: str = ""
) -> bool:
    """Mark a leased batch done or failed; False when the lease was lost meanwhile."""
    with write_transaction():
        return bool(
            RunBatch.update(
                status=status,
                error=error,
                lease_owner="",
                lease_expires_at=None,
                updated_at=utcnow(),
            )
            .where(
                (RunBatch.id == batch_id)
                & (RunBatch.lease_owner == owner)
                & (RunBatch.status == "leased")
            )
            .execute()
        )


def release_batch(
    batch_id: int,
    owner: str,
    delay: dt.timedelta,
    *,
    keys: Sequence[str] | None = None,
    count_attempt: bool = False,
) -> bool:
    """Give a batch back to be worked again after ``delay`` (waiting for budget, parked keys)."""
    changes: dict[Any, Any] = {
        RunBatch.status: "pending",
        RunBatch.lease_owner: "",
        RunBatch.lease_expires_at: None,
        RunBatch.not_before: utcnow() + delay,
        RunBatch.updated_at: utcnow(),
    }
    if keys is not None:
        changes[RunBatch.entity_keys] = list(keys)
    if not count_attempt:
        changes[RunBatch.attempts] = RunBatch.attempts - 1
    with write_transaction():
        return bool(
            RunBatch.update(changes)
            .where(
                (RunBatch.id == batch_id)
                & (RunBatch.lease_owner == owner)
                & (RunBatch.status == "leased")
            )
            .execute()
        )


def note_peak_memory(run_id: int) -> None:
    """Keep this process's peak resident memory on the run when it is the highest seen yet.

    Called at the end of an inline run and after each batch a worker exported; the run keeps
    the largest of them (kB, as the kernel counts it).
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with write_transaction():
        Run.update(peak_memory_kb=peak).where(
            (Run.id == run_id) & (Run.peak_memory_kb < peak)
        ).execute()


def add_api_calls(run_id: int, *, reads: int, writes: int) -> None:
    """Calls not tied to one entity (fetching a batch, building the index)."""
    if reads or writes:
        with write_transaction():
            Run.update(
                {
                    Run.api_reads: Run.api_reads + reads,
                    Run.api_writes: Run.api_writes + writes,
                    Run.last_progress_at: utcnow(),
                }
            ).where(Run.id == run_id).execute()


def finish_run_if_done(run_id: int) -> str | None:
    """Close the run when it is enumerated and no batch is open; returns the final status."""
    open_batches = RunBatch.select(RunBatch.id).where(
        (RunBatch.run == run_id) & RunBatch.status.in_(BATCH_OPEN)
    )
    failed_batches = RunBatch.select(RunBatch.id).where(
        (RunBatch.run == run_id) & (RunBatch.status == "failed")
    )
    with write_transaction():
        status = "failed" if failed_batches.exists() else "done"
        changed = (
            Run.update(status=status, finished_at=utcnow())
            .where(
                (Run.id == run_id)
                & (Run.status == "running")
                & (Run.enumerated == True)  # noqa: E712
                & ~pw.fn.EXISTS(open_batches)
            )
            .execute()
        )
    return status if changed else None


def fail_run(run_id: int, error: str) -> bool:
    with write_transaction():
        changed = (
            Run.update(status="failed", error=error, finished_at=utcnow())
            .where((Run.id == run_id) & Run.status.in_(RUN_OPEN))
            .execute()
        )
        RunBatch.update(status="failed", error="run failed").where(
            (RunBatch.run == run_id) & (RunBatch.status == "pending")
        ).execute()
    return bool(changed)


def pause_run(run_id: int, reason: str, guard: dict[str, Any]) -> bool:
    """running -> paused, once: the batches stay as they are, for ``run resume``."""
    with write_transaction():
        changed = (
            Run.update(status="paused", pause_reason=reason, guard=guard)
            .where((Run.id == run_id) & (Run.status == "running"))
            .execute()
        )
    return bool(changed)


def cancel_run(run_id: int) -> bool:
    with write_transaction():
        changed = (
            Run.update(status="cancelled", finished_at=utcnow())
            .where((Run.id == run_id) & Run.status.in_(RUN_CANCELLABLE))
            .execute()
        )
    return bool(changed)


def running_run(profile_id: int, exclude: int | None = None) -> Run | None:
    """The profile's open or paused run: no other run starts beside it unless asked to."""
    query = Run.select().where((Run.profile == profile_id) & Run.status.in_(RUN_CANCELLABLE))
    if exclude is not None:
        query = query.where(Run.id != exclude)
    return query.first()
