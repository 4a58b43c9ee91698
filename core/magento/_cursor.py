"""The bookmark of an incremental read: where the last successful read of a stream ended.

Magento's ``updated_at`` has one-second resolution, and more records may be saved in the
second a read ended after that read. So the bookmark keeps that second *and* the ids already
handed out with exactly that timestamp; the next read asks for ``updated_at >= second``
again and skips only those. The caller stores a page's bookmark after it has handled the
page, never before: a failure repeats records but never skips one.

``seen`` holds every id handed out with the bookmark's second, so a bulk import stamped
in a single second makes a bookmark as large as the import (about 7 bytes per id in JSON)
until a later change moves it on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from core.errors import ConfigError
from core.magento._search import MAGENTO_TIME, magento_time

T = TypeVar("T")


@dataclass(frozen=True)
class UpdatedCursor:
    """Read records changed at or after ``since``, except ``seen`` ids stamped exactly then.

    The empty cursor (``since=None``) reads everything from the start.
    """

    since: datetime | None = None
    seen: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.since is not None and self.since.tzinfo is None:
            object.__setattr__(self, "since", self.since.replace(tzinfo=UTC))
        if self.since is not None and self.since.microsecond:
            raise ConfigError("a Magento cursor is whole seconds: updated_at has no fractions")

    def is_seen(self, record_id: int, updated_at: datetime) -> bool:
        """Whether this record version was already handed out before this cursor."""
        return updated_at == self.since and record_id in self.seen

    def after(self, handed_out: Iterable[tuple[int, datetime]]) -> UpdatedCursor:
        """The cursor once ``handed_out`` (id, updated_at) pairs have been handled as well."""
        since, seen = self.since, set(self.seen)
        for record_id, updated_at in handed_out:
            if since is None or updated_at > since:
                since, seen = updated_at, {record_id}
            elif updated_at == since:
                seen.add(record_id)
        return UpdatedCursor(since, frozenset(seen))

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form for the database (ids sorted, so equal cursors store equally)."""
        return {
            "since": magento_time(self.since) if self.since else None,
            "seen": sorted(self.seen),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> UpdatedCursor:
        """The cursor stored by :meth:`to_json`; nothing stored means "from the start"."""
        if not data or not data.get("since"):
            return cls()
        since = datetime.strptime(data["since"], MAGENTO_TIME).replace(tzinfo=UTC)
        return cls(since, frozenset(int(i) for i in data.get("seen", ())))


@dataclass(frozen=True)
class ChangePage(Generic[T]):
    """Changed records in change order, and the cursor to store once they are handled."""

    items: list[T]
    cursor: UpdatedCursor
