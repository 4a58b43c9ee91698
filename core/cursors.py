"""Bookmarks of incremental reads (guest orders, customer changes), kept in the database.

A bookmark is stored only after what it covers has been handled, so a failure repeats a
little work and never skips a record.
"""

from __future__ import annotations

import json
from typing import Any

from core.db.connection import write_transaction
from core.db.models import SharedState, utcnow


def load_bookmark(name: str) -> dict[str, Any] | None:
    row = SharedState.get_or_none(SharedState.key == f"bookmark:{name}")
    return json.loads(row.value) if row is not None and row.value else None


def save_bookmark(name: str, data: dict[str, Any]) -> None:
    value = json.dumps(data, sort_keys=True)
    with write_transaction():
        SharedState.insert(key=f"bookmark:{name}", value=value, updated_at=utcnow()).on_conflict(
            conflict_target=[SharedState.key],
            update={
                SharedState.value: value,
                SharedState.updated_at: utcnow(),
                SharedState.version: SharedState.version + 1,
            },
        ).execute()


def forget_bookmark(name: str) -> None:
    with write_transaction():
        SharedState.delete().where(SharedState.key == f"bookmark:{name}").execute()
