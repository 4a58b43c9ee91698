"""Small compare-and-set helpers over the ``SharedState`` table for tokens and budgets."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import peewee

from core.db.connection import write_transaction
from core.db.models import SharedState, utcnow

T = TypeVar("T")

# Writers on SQLite queue behind BEGIN IMMEDIATE; on PostgreSQL a concurrent writer can win
# between our read and our conditional update, so the update is retried, after a short random
# pause that grows with each loss: retried at once, the same writers collide again and again
# on a busy machine (seen with four threads losing twenty times in a row).
_ATTEMPTS = 50
_PAUSE_S = 0.002


def update_rows(
    keys: list[str], change: Callable[[dict[str, str]], tuple[dict[str, str | None], T]]
) -> T:
    """Read the rows of ``keys``, let ``change`` compute new values, write them atomically.

    ``change`` receives the current values (missing rows are absent) and returns the values to
    write (a subset of ``keys``; ``None`` deletes the row) and a result. The write only lands
    if no other writer changed the rows in between; otherwise the step runs again.
    """
    for attempt in range(_ATTEMPTS):
        try:
            with write_transaction():
                rows = {r.key: r for r in SharedState.select().where(SharedState.key << keys)}
                new_values, result = change({key: row.value for key, row in rows.items()})
                _write(rows, new_values)
                return result
        except _Conflict:
            time.sleep(random.uniform(0, _PAUSE_S * (attempt + 1)))
    raise RuntimeError("shared state kept changing under concurrent writers")


def delete_if(key: str, predicate: Callable[[str], bool]) -> bool:
    """Delete the row of ``key`` when ``predicate`` accepts its value; true if it was deleted."""

    def change(values: dict[str, str]) -> tuple[dict[str, str | None], bool]:
        current = values.get(key)
        if current is not None and predicate(current):
            return {key: None}, True
        return {}, False

    return update_rows([key], change)


class _Conflict(Exception):
    """Another writer changed a row between our read and our write: roll back, run again."""


def _write(rows: dict[str, SharedState], values: dict[str, str | None]) -> None:
    now = utcnow()
    for key, value in values.items():
        row = rows.get(key)
        if value is None:
            if row is not None:
                query = SharedState.delete().where(
                    (SharedState.key == key) & (SharedState.version == row.version)
                )
                if query.execute() != 1:
                    raise _Conflict
            continue
        if row is None:
            try:
                with write_transaction():
                    SharedState.create(key=key, value=value, version=1, updated_at=now)
            except peewee.IntegrityError:
                raise _Conflict from None
            continue
        changed = (
            SharedState.update(value=value, version=row.version + 1, updated_at=now)
            .where((SharedState.key == key) & (SharedState.version == row.version))
            .execute()
        )
        if changed != 1:
            raise _Conflict


def read_value(key: str) -> str | None:
    """The value stored under ``key``, or ``None``."""
    row = SharedState.get_or_none(SharedState.key == key)
    return None if row is None else str(row.value)
