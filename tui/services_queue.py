"""The façade's queue part: one profile's queue, add, remove, retry failed and clear.

Mixed into ``tui.services.Services`` like ``tui.services_runs``. Retrying counts first
(``count_retry``) so the confirmation can say how many customers it makes pending again.
"""

from __future__ import annotations

from core.services.ids import parse_entity_ids
from core.services.queue import (
    Queued,
    add_to_queue,
    clear_queue,
    count_retryable,
    remove_from_queue,
    retry_failed,
)
from core.services.queue_board import QueueBoard, queue_board

__all__ = ["QueueBoard", "QueueFacade", "Queued"]


class QueueFacade:
    """One profile's queue; ``Services`` supplies the viewer guard."""

    def _refuse_in_viewer(self) -> None:  # pragma: no cover - Services defines it
        raise NotImplementedError

    def queue_board(self, profile_id: int, limit: int = 300) -> QueueBoard:
        """Counts, failures per error class and the items (failed first) for one poll."""
        return queue_board(profile_id, limit=limit)

    def queue_add(self, profile_id: int, ids: str) -> Queued:
        """Queue the customers ``ids`` names (``1-5,9``) for the next drain."""
        self._refuse_in_viewer()
        return add_to_queue(profile_id, parse_entity_ids(ids))

    def queue_remove(self, profile_id: int, keys: list[str]) -> int:
        """Take customers off the queue, whatever their status; how many were queued."""
        self._refuse_in_viewer()
        return remove_from_queue(profile_id, keys)

    def count_retry(
        self, profile_id: int, keys: list[str] | None = None, error_class: str | None = None
    ) -> int:
        """How many failed customers ``queue_retry`` with the same scope makes pending."""
        return count_retryable(profile_id, keys, error_class)

    def queue_retry(
        self, profile_id: int, keys: list[str] | None = None, error_class: str | None = None
    ) -> int:
        """Make failed customers pending again (all, those keys, or one error class)."""
        self._refuse_in_viewer()
        return retry_failed(profile_id, keys, error_class)

    def queue_clear(self, profile_id: int) -> int:
        """Empty the profile's queue; how many customers were dropped."""
        self._refuse_in_viewer()
        return clear_queue(profile_id)
