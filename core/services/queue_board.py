"""One profile's queue as the TUI's queue screen shows it, read in one call per poll.

The counts per status, the failed customers per error class (what "retry one class" offers)
and a bounded list of items with the failed ones first: with 50,000 customers queued, the
oldest pending ones would otherwise hide every failure.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from core.db.models import QueueItem
from core.export import queue
from core.export.queue import QueueEntry, QueueStats
from core.profiles.service import get_profile

__all__ = ["QueueBoard", "queue_board"]


@dataclass(frozen=True)
class QueueBoard:
    """A profile's queue: counts, failures per class, and the items shown (failed first)."""

    profile_id: int
    profile_name: str
    stats: QueueStats
    failed_classes: tuple[tuple[str, int], ...]  # error class -> failed items, most first
    items: tuple[QueueEntry, ...]

    @property
    def shown_all(self) -> bool:
        """Whether ``items`` holds every queued customer."""
        return len(self.items) >= self.stats.total


def failed_classes(profile_id: int) -> tuple[tuple[str, int], ...]:
    """Failed items per error class ("" for a failure without one), most frequent first."""
    count = pw.fn.COUNT(QueueItem.id)
    rows = (
        QueueItem.select(QueueItem.last_error_class, count.alias("n"))
        .where((QueueItem.profile == profile_id) & (QueueItem.status == queue.FAILED))
        .group_by(QueueItem.last_error_class)
        .order_by(count.desc(), QueueItem.last_error_class)
    )
    return tuple((str(row.last_error_class), int(row.n)) for row in rows)  # type: ignore[attr-defined]


def queue_board(profile: str | int, limit: int = 300) -> QueueBoard:
    """The queue screen's data: failed items first (up to ``limit``), then the oldest others."""
    found = get_profile(profile)
    failed = queue.entries(found.id, status=queue.FAILED, limit=limit)
    others: list[QueueEntry] = []
    room = limit - len(failed)
    if room > 0:
        for status in (queue.PROCESSING, queue.CHANGED, queue.PENDING):
            others += queue.entries(found.id, status=status, limit=room - len(others))
            if len(others) >= room:
                break
    return QueueBoard(
        profile_id=found.id,
        profile_name=found.name,
        stats=queue.stats(found.id),
        failed_classes=failed_classes(found.id),
        items=tuple(failed + others),
    )
