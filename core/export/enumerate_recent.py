"""Enumeration in the ``recent_first`` order: the customers changed most recently come first.

The run's cursor is ``t:<position>`` (see ``core.magento._time_scan``): the ``recent`` phase
walks ``updated_at`` down from the shop's latest change, the ``since`` phase then picks up
whoever was saved while the run worked. Each chunk's batches are committed with the
position after them, so a resumed run neither skips nor repeats a customer.
"""

from __future__ import annotations

from collections.abc import Callable

from core.db.models import Run
from core.export import runs
from core.export.deps import ExportDeps
from core.magento import TimePosition

PREFIX = "t:"


def is_time_cursor(text: str | None) -> bool:
    return bool(text) and str(text).startswith(PREFIX)


def start_cursor() -> str:
    return PREFIX + TimePosition.start().to_text()


def recent_chunk(
    deps: ExportDeps, run: Run, chunk: int, take: Callable[[list[int]], list[str]]
) -> tuple[list[str], str | None]:
    """The next chunk of keys and the cursor after them; cursor None: the customers are done.

    ``take`` drops what the run's options leave out (``--new-only``).
    """
    position = TimePosition.parse(str(run.cursor)[len(PREFIX) :])
    taken: list[int] = []
    while True:
        pages = deps.magento.customers.iter_by_time(position)
        try:
            for ids, after in pages:
                taken += ids
                position = after
                if len(taken) >= chunk:
                    return take(taken), PREFIX + position.to_text()
        finally:
            pages.close()
        if position.phase == "since":
            return take(taken), None
        position = position.catch_up()


def commit_chunk(run: Run, keys: list[str], size: int, cursor: str, room: int | None) -> bool:
    """Add ``keys`` as batches with ``cursor``; True when the run's limit is reached."""
    if room is not None and len(keys) >= room:
        runs.add_batches(run.id, keys[:room], size, cursor=cursor, done=True)
        return True
    runs.add_batches(run.id, keys, size, cursor=cursor)
    return False
