"""A profile's queue of customers to export: durable, leased, and never losing an edit.

Each queued entity is one ``QueueItem`` row per profile. Enqueueing an entity that is
already queued bumps its version instead of adding a row. A drain run leases due items
(``processing``, owner ``run:<id>``) and turns them into its batches; when a batch is done its
items are deleted, or marked ``failed`` with the reason. An item enqueued again while it is
being processed becomes ``changed``: when its batch ends it goes back to ``pending`` instead
of being deleted, so the edit is exported by the next drain. Failed items stay visible until
someone retries or removes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import peewee as pw

from core.db.connection import write_transaction
from core.db.models import Profile, QueueItem, Run, RunBatch, RunItem, utcnow
from core.export import runs
from core.profiles.service import profile_settings
from core.states import BatchEnd, QueueStatus, values

PENDING: QueueStatus = "pending"
PROCESSING: QueueStatus = "processing"
CHANGED: QueueStatus = "changed"
FAILED: QueueStatus = "failed"
STATUSES = values(QueueStatus)
# SQLite allows 999 bound parameters per statement; stay well below.
_SLICE = 500


def owner_of(run_id: int) -> str:
    """The lease owner of the items a drain run took."""
    return f"run:{run_id}"


def _slices(keys: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), _SLICE):
        yield list(keys[start : start + _SLICE])


def enqueue(profile_id: int, keys: Iterable[str], entity_type: str = "customer") -> int:
    """Queue ``keys`` for the profile; returns how many were new.

    An entity already queued gets a new version: pending stays pending, one being processed
    becomes ``changed`` (exported again after its batch), a failed one is pending again
    with its attempts reset (the edit may have fixed it).
    """
    wanted = list(dict.fromkeys(str(k) for k in keys))
    added = 0
    now = utcnow()
    for part in _slices(wanted):
        with write_transaction():
            scope = (QueueItem.profile == profile_id) & (QueueItem.entity_type == entity_type)
            existing = {
                row.entity_key: row.status
                for row in QueueItem.select(QueueItem.entity_key, QueueItem.status).where(
                    scope & QueueItem.entity_key.in_(part)
                )
            }
            fresh = [k for k in part if k not in existing]
            if fresh:
                QueueItem.insert_many(
                    [
                        {
                            "profile": profile_id,
                            "entity_type": entity_type,
                            "entity_key": key,
                            "next_attempt_at": now,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for key in fresh
                    ]
                ).on_conflict_ignore().execute()
                added += len(fresh)
            bump = {QueueItem.version: QueueItem.version + 1, QueueItem.updated_at: now}
            in_scope = scope & QueueItem.entity_key.in_([k for k in part if k in existing])
            QueueItem.update({**bump, QueueItem.status: CHANGED}).where(
                in_scope & QueueItem.status.in_((PROCESSING, CHANGED))
            ).execute()
            QueueItem.update(
                {
                    **bump,
                    QueueItem.status: PENDING,
                    QueueItem.attempts: 0,
                    QueueItem.next_attempt_at: now,
                }
            ).where(in_scope & (QueueItem.status == FAILED)).execute()
            QueueItem.update(bump).where(in_scope & (QueueItem.status == PENDING)).execute()
    return added


def lease_into_batches(run: Run, batch_size: int, limit: int) -> bool:
    """Lease up to ``limit`` due items of the run's profile into its batches.

    Returns True when the queue had no more due items (the run is fully enumerated). The
    lease and the batches are one commit, so an item is either in a batch or still pending.
    """
    now = utcnow()
    owner = owner_of(run.id)
    with write_transaction():
        due = [
            row.id
            for row in QueueItem.select(QueueItem.id)
            .where(
                (QueueItem.profile == run.profile_id)
                & (QueueItem.status == PENDING)
                & (QueueItem.next_attempt_at <= now)
            )
            .order_by(QueueItem.next_attempt_at, QueueItem.id)
            .limit(limit)
        ]
        if due:
            QueueItem.update(
                status=PROCESSING,
                lease_owner=owner,
                lease_expires_at=None,
                attempts=QueueItem.attempts + 1,
                updated_at=now,
            ).where(QueueItem.id.in_(due) & (QueueItem.status == PENDING)).execute()
        keys = [
            row.entity_key
            for row in QueueItem.select(QueueItem.entity_key)
            .where(QueueItem.id.in_(due) & (QueueItem.lease_owner == owner))
            .order_by(QueueItem.id)
        ]
        done = len(due) < limit
        runs.add_batches(run.id, keys, batch_size, done=done)
    return done


def settle_keys(run_id: int, profile_id: int, keys: Sequence[str]) -> None:
    """Close the items of a finished batch: delete the exported, keep the failed and edited.

    A key whose run item says failed or conflict is kept as ``failed`` with the reason; an
    item edited meanwhile (``changed``) goes back to ``pending`` either way.
    """
    owner = owner_of(run_id)
    now = utcnow()
    for part in _slices(list(keys)):
        failures = {
            row.entity_key: row
            for row in RunItem.select().where(
                (RunItem.run == run_id)
                & RunItem.entity_key.in_(part)
                & RunItem.action.in_(("failed", "conflict"))
            )
        }
        mine = (
            (QueueItem.profile == profile_id)
            & (QueueItem.lease_owner == owner)
            & QueueItem.entity_key.in_(part)
        )
        with write_transaction():
            _back_to_pending(mine & (QueueItem.status == CHANGED), now)
            for key, item in failures.items():
                QueueItem.update(
                    status=FAILED,
                    lease_owner="",
                    lease_expires_at=None,
                    last_error_class=item.action,
                    last_error_message=item.message[:2000],
                    updated_at=now,
                ).where(
                    mine & (QueueItem.entity_key == key) & (QueueItem.status == PROCESSING)
                ).execute()
            QueueItem.delete().where(mine & (QueueItem.status == PROCESSING)).execute()


def settle_batch(run: Run, batch_id: int, keys: Sequence[str], status: BatchEnd) -> None:
    """Close a drain's items once their batch was worked; a batch given back keeps its rest.

    A waiting or parked batch still holds the keys it has not exported: those stay leased
    until the batch is worked again.
    """
    remaining: set[str] = set()
    if status in ("waiting", "parked"):
        remaining = {str(k) for k in RunBatch.get_by_id(batch_id).entity_keys}
    settle_keys(run.id, run.profile_id, [k for k in keys if k not in remaining])


def drain_options(profile: Profile) -> runs.RunOptions:
    """How a run over the profile's queue goes: queued customers only, scheduled behaviour."""
    behaviour = profile_settings(profile).http_api.scheduled_behaviour
    return runs.RunOptions(queue=True, guests=False, behaviour=behaviour)


def _back_to_pending(condition: pw.Expression, now: dt.datetime) -> int:
    return int(
        QueueItem.update(
            status=PENDING,
            lease_owner="",
            lease_expires_at=None,
            next_attempt_at=now,
            updated_at=now,
        )
        .where(condition)
        .execute()
    )


def release_orphans() -> int:
    """Give back items leased by runs that ended without settling them (sweeper duty)."""
    # A paused run keeps its items: they go on with it after ``run resume``.
    alive = Run.status.in_(runs.RUN_CANCELLABLE)
    open_runs = [owner_of(r.id) for r in Run.select(Run.id).where(alive)]
    leased = QueueItem.status.in_((PROCESSING, CHANGED))
    condition = leased if not open_runs else leased & QueueItem.lease_owner.not_in(open_runs)
    with write_transaction():
        return _back_to_pending(condition, utcnow())


def retry_failed(
    profile_id: int, keys: Iterable[str] | None = None, error_class: str | None = None
) -> int:
    """Make failed items of the profile pending again (all, or those keys / that error class).

    Their attempts start from zero; returns how many items are pending again.
    """
    condition = (QueueItem.profile == profile_id) & (QueueItem.status == FAILED)
    if error_class is not None:
        condition &= QueueItem.last_error_class == error_class
    wanted = None if keys is None else [str(k) for k in keys]
    parts: Iterable[list[str] | None] = [None] if wanted is None else _slices(wanted)
    retried = 0
    for part in parts:
        scope = condition if part is None else condition & QueueItem.entity_key.in_(part)
        with write_transaction():
            retried += int(
                QueueItem.update(
                    status=PENDING, attempts=0, next_attempt_at=utcnow(), updated_at=utcnow()
                )
                .where(scope)
                .execute()
            )
    return retried


def remove(profile_id: int, keys: Iterable[str], entity_type: str = "customer") -> int:
    """Take entities off the queue (whatever their status); returns how many were queued."""
    removed = 0
    for part in _slices([str(k) for k in keys]):
        with write_transaction():
            removed += (
                QueueItem.delete()
                .where(
                    (QueueItem.profile == profile_id)
                    & (QueueItem.entity_type == entity_type)
                    & QueueItem.entity_key.in_(part)
                )
                .execute()
            )
    return removed


def clear(profile_id: int) -> int:
    """Empty the profile's queue; returns how many items were dropped."""
    with write_transaction():
        return int(QueueItem.delete().where(QueueItem.profile == profile_id).execute())


@dataclass(frozen=True)
class QueueStats:
    """How many items a profile's queue holds per status, and how many are due now."""

    by_status: dict[str, int]
    due: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def stats(profile_id: int) -> QueueStats:
    counts = dict.fromkeys(STATUSES, 0)
    rows = (
        QueueItem.select(QueueItem.status, pw.fn.COUNT(QueueItem.id).alias("n"))
        .where(QueueItem.profile == profile_id)
        .group_by(QueueItem.status)
    )
    for row in rows:
        counts[row.status] = int(row.n)  # type: ignore[attr-defined]
    return QueueStats(counts, due_count(profile_id))


def due_count(profile_id: int) -> int:
    """Pending items whose next attempt has come."""
    return int(
        QueueItem.select()
        .where(
            (QueueItem.profile == profile_id)
            & (QueueItem.status == PENDING)
            & (QueueItem.next_attempt_at <= utcnow())
        )
        .count()
    )


@dataclass(frozen=True)
class QueueEntry:
    """One queued entity as an operator sees it."""

    entity_type: str
    entity_id: str
    status: QueueStatus
    version: int
    attempts: int
    next_attempt_at: dt.datetime
    error_class: str | None
    error: str | None


def entries(profile_id: int, *, status: str | None = None, limit: int = 100) -> list[QueueEntry]:
    """The profile's queued entities, oldest first, for listing."""
    return [
        QueueEntry(
            entity_type=item.entity_type,
            entity_id=item.entity_key,
            status=cast(QueueStatus, item.status),  # the column holds no other value
            version=item.version,
            attempts=item.attempts,
            next_attempt_at=item.next_attempt_at,
            error_class=item.last_error_class or None,
            error=item.last_error_message or None,
        )
        for item in items(profile_id, status=status, limit=limit)
    ]


def items(profile_id: int, *, status: str | None = None, limit: int = 100) -> list[QueueItem]:
    """The profile's items, oldest first."""
    query = QueueItem.select().where(QueueItem.profile == profile_id)
    if status is not None:
        query = query.where(QueueItem.status == status)
    return list(query.order_by(QueueItem.id).limit(limit))
