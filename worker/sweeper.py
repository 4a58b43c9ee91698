"""The sweeper: finds work whose message or worker was lost, sends it again, flags stale runs.

The database is the truth and a message only a pointer to it, so losing a message (Redis
restarted, a worker killed) loses nothing: a batch whose lease expired, or that has been due
for a while without anyone taking it, is simply sent again. Sending twice is harmless, since
only one worker can lease a batch. Runs without progress for ``stale_after`` are marked
``stale`` and reported; ``plentysync run resume`` opens them again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from core.db.connection import write_transaction
from core.db.models import Run, RunBatch, utcnow
from core.export import queue, runs
from worker.courier import Courier
from worker.jobs import finish, send_batches

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    batches_resent: int = 0
    runs_restarted: int = 0
    runs_stale: int = 0
    queue_items_released: int = 0


def sweep(courier: Courier, *, grace: dt.timedelta, stale_after: dt.timedelta) -> SweepResult:
    """One pass over open runs and leased queue items; safe to run at any time, any number."""
    now = utcnow()
    resent = restarted = stale = 0
    for run in Run.select().where(Run.status.in_(runs.RUN_OPEN)):
        progress = run.last_progress_at or run.created_at
        if run.status == "running" and progress < now - stale_after:
            if _mark_stale(run, progress):
                stale += 1
            continue
        if progress < now - grace and (run.status == "pending" or not run.enumerated):
            # The enumerate message was lost; enumeration restarts from the run's cursor.
            courier.enumerate(run.id)
            restarted += 1
        resent += _resend_lost_batches(run, courier, now - grace)
        if run.status == "running":
            finish(run.id, courier)
    released = queue.release_orphans()
    if resent or restarted or stale or released:
        log.info(
            "sweep: %d batches re-sent, %d enumerations restarted, %d runs stale, "
            "%d queue items released",
            resent,
            restarted,
            stale,
            released,
        )
    return SweepResult(resent, restarted, stale, released)


def _resend_lost_batches(run: Run, courier: Courier, before: dt.datetime) -> int:
    now = utcnow()
    # ``updated_at`` moves when a batch is leased, released or re-sent: a batch is only sent
    # again when nothing happened to it for the grace period.
    quiet = RunBatch.updated_at < before
    expired = (RunBatch.status == "leased") & (RunBatch.lease_expires_at < now)
    forgotten = (RunBatch.status == "pending") & (
        RunBatch.not_before.is_null() | (RunBatch.not_before < before)
    )
    ids = [
        b.id
        for b in RunBatch.select(RunBatch.id).where(
            (RunBatch.run == run.id) & quiet & (expired | forgotten)
        )
    ]
    if not ids:
        return 0
    with write_transaction():
        # Re-sent now: the next sweep gives the message its grace period again.
        RunBatch.update(updated_at=now).where(RunBatch.id.in_(ids)).execute()
    return send_batches(run, courier, only=ids)


def _mark_stale(run: Run, progress: dt.datetime) -> bool:
    with write_transaction():
        changed = (
            Run.update(status="stale", error=f"no progress since {progress:%Y-%m-%d %H:%M:%S} UTC")
            .where((Run.id == run.id) & (Run.status == "running"))
            .execute()
        )
    if changed:
        log.warning(
            "run %s of profile %s is stale: no progress since %s UTC; "
            "'plentysync run resume %s' opens it again",
            run.id,
            run.profile_id,
            progress,
            run.id,
        )
    return bool(changed)
