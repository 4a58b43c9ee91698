"""New registrations during a bulk export: the profile's queue goes in front of the bulk batches.

A profile runs one export at a time, so while a first export of a large store works for days
the queue's drain run cannot start. Instead the bulk run takes the due queue items itself:
before each of its batches (and whenever the watch finds changes) it leases them into a
*front batch*, whose sequence is below every bulk batch, so the inline executor works it
next and the workers get it on the live queue. A customer queued during the bulk export is
therefore exported before the next bulk batch starts (inline; with workers, before the bulk
batches already in flight end), whatever the budget makes the bulk batches wait.

A queued customer this run has already exported (an edit made during the run) is left in
the queue: the run would skip it as done, so it waits for the drain after the run ends.
Only a full export in the queue's own behaviour takes the queue: a run for some ids, one
store, with a limit, or forced would export queued customers in a way their drain would not.
"""

from __future__ import annotations

import peewee as pw

from core.db.connection import is_sqlite, write_transaction
from core.db.models import QueueItem, Run, RunBatch, RunItem, utcnow
from core.export import queue, runs


def takes_queue(run: Run) -> bool:
    """Whether this open run exports the profile's queue in front of its own batches."""
    options = runs.run_options(run)
    if options.queue or options.entity_ids is not None or options.limit is not None:
        return False
    if options.store_id is not None or options.force:
        return False
    return options.behaviour == queue.drain_options(run.profile).behaviour


def is_front(batch: RunBatch) -> bool:
    """A batch of queued customers put in front of a bulk run's own batches."""
    return int(batch.sequence) < 0


def queue_to_front(run: Run, batch_size: int) -> int | None:
    """Lease the profile's due queue items into one front batch of ``run``; its id, or None.

    For a run that ``takes_queue``. The lease and the batch are one commit, as in a drain
    run: an item is either in a batch or still pending. With nothing due this is one query.
    """
    now = utcnow()
    worked = RunItem.select(RunItem.id).where(
        (RunItem.run == run.id)
        & (RunItem.entity_type == QueueItem.entity_type)
        & (RunItem.entity_key == QueueItem.entity_key)
    )
    due = QueueItem.select(QueueItem.id).where(
        (QueueItem.profile == run.profile_id)
        & (QueueItem.status == queue.PENDING)
        & (QueueItem.next_attempt_at <= now)
        # One this run has already worked would be skipped as done: its edit waits for the
        # drain that follows the bulk run, so it is exported, not lost.
        & ~pw.fn.EXISTS(worked)
    )
    if not due.limit(1).exists():
        return None
    owner = queue.owner_of(run.id)
    with write_transaction():
        if not is_sqlite():
            # Two workers of one run share the lease owner: one at a time takes the queue, so
            # the other sees its lease and cannot put the same items in a second batch.
            list(Run.select(Run.id).where(Run.id == run.id).for_update())
        ids = [
            row.id
            for row in due.order_by(QueueItem.next_attempt_at, QueueItem.id).limit(batch_size)
        ]
        QueueItem.update(
            status=queue.PROCESSING,
            lease_owner=owner,
            lease_expires_at=None,
            attempts=QueueItem.attempts + 1,
            updated_at=now,
        ).where(QueueItem.id.in_(ids) & (QueueItem.status == queue.PENDING)).execute()
        keys = [
            row.entity_key
            for row in QueueItem.select(QueueItem.entity_key)
            .where(QueueItem.id.in_(ids) & (QueueItem.lease_owner == owner))
            .order_by(QueueItem.id)
        ]
        if not keys:
            return None
        first = RunBatch.select(pw.fn.MIN(RunBatch.sequence)).where(RunBatch.run == run.id).scalar()
        sequence = min(0, int(first or 0)) - 1
        batch = RunBatch.create(run=run.id, sequence=sequence, entity_keys=keys)
        Run.update(total=Run.total + len(keys)).where(Run.id == run.id).execute()
    return int(batch.id)
