"""A profile's export queue as a front end works it: counts, items, add, remove, retry, clear.

Profiles are named by id or name (``ref``); customer ids come as ``EntityIds`` or keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.db.models import QueueItem
from core.errors import InputError
from core.export import queue
from core.export.queue import QueueEntry, QueueStats
from core.profiles.service import get_profile
from core.services.ids import EntityIds

ProfileRef = str | int


def _keys(ids: EntityIds | Iterable[str | int]) -> list[str]:
    return ids.keys() if isinstance(ids, EntityIds) else [str(i) for i in ids]


def queue_stats(profile: ProfileRef) -> QueueStats:
    """How many customers are queued per status, and how many are due now."""
    return queue.stats(get_profile(profile).id)


def queue_items(
    profile: ProfileRef, status: str | None = None, limit: int = 100
) -> list[QueueEntry]:
    """The queued customers, oldest first; ``status`` keeps one of ``queue.STATUSES``."""
    if status is not None and status not in queue.STATUSES:
        raise InputError(f"no queue status {status!r}; use one of {', '.join(queue.STATUSES)}")
    return queue.entries(get_profile(profile).id, status=status, limit=limit)


@dataclass(frozen=True)
class Queued:
    """What adding customers to a queue did: how many were named, how many were new."""

    named: int
    new: int

    @property
    def updated(self) -> int:
        """Customers already queued, now with a new version."""
        return self.named - self.new


def add_to_queue(profile: ProfileRef, ids: EntityIds | Iterable[str | int]) -> Queued:
    """Queue customers for the next drain; one already queued gets a new version."""
    keys = _keys(ids)
    return Queued(named=len(keys), new=queue.enqueue(get_profile(profile).id, keys))


def remove_from_queue(profile: ProfileRef, ids: EntityIds | Iterable[str | int]) -> int:
    """Take customers off the queue, whatever their status; returns how many were queued."""
    return queue.remove(get_profile(profile).id, _keys(ids))


def retry_failed(
    profile: ProfileRef,
    keys: EntityIds | Iterable[str | int] | None = None,
    error_class: str | None = None,
) -> int:
    """Make failed customers pending again (all, those ids, or one error class); how many."""
    wanted = None if keys is None else _keys(keys)
    return queue.retry_failed(get_profile(profile).id, wanted, error_class=error_class)


def count_retryable(
    profile: ProfileRef,
    keys: EntityIds | Iterable[str | int] | None = None,
    error_class: str | None = None,
) -> int:
    """How many customers ``retry_failed`` with the same arguments would make pending."""
    condition = (QueueItem.profile == get_profile(profile).id) & (QueueItem.status == queue.FAILED)
    if error_class is not None:
        condition &= QueueItem.last_error_class == error_class
    if keys is None:
        return int(QueueItem.select().where(condition).count())
    wanted = _keys(keys)
    counted = 0
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        counted += QueueItem.select().where(condition & QueueItem.entity_key.in_(part)).count()
    return counted


def clear_queue(profile: ProfileRef) -> int:
    """Empty the profile's queue; returns how many customers were dropped."""
    return queue.clear(get_profile(profile).id)
