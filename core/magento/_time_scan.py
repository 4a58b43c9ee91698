"""A keyset scan of customers by ``updated_at``: most recently changed first, then the rest.

The order is ``updated_at`` descending and, inside one second, ``entity_id`` ascending. A
position is (second, last id handed out in that second), two numbers however large the
store, so a run that crashed goes on from the position it committed and hands out no record
twice and none too few. Each step reads the rest of the position's second by id, then the
page of older seconds below it; a page holds every record of its seconds except perhaps
the last one, which the next step finishes.

The scan starts at the top: the latest ``updated_at`` in the shop (``upto``, taken from the
shop's own answer, so our clock and the shop's need not agree). A customer saved while the
run works moves to ``upto`` or above; the *catch-up* phase then reads that second again and
everything after it in ascending order, with the same kind of position, so nobody saved
meanwhile is skipped (a customer saved after it was read comes twice, as a change).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import Literal

from core.errors import ConfigError
from core.magento._scan import Fetch, Item, _id, _out_of_order, _time, scan_by_id
from core.magento._search import Filter, Search, magento_time

Phase = Literal["recent", "since"]
# ``after_id`` of a second that is finished: the next step reads past it only.
SECOND_DONE = -1
# Above any ``updated_at``: where the ``recent`` phase starts (9999-12-31 23:59:59 UTC).
TOP = 253_402_300_799


@dataclass(frozen=True)
class TimePosition:
    """Where a scan by ``updated_at`` stands (epoch seconds, whole)."""

    phase: Phase
    upto: int  # the shop's latest second when the scan began; 0 until the first page
    second: int
    after_id: int

    @classmethod
    def start(cls) -> TimePosition:
        return cls("recent", 0, TOP, SECOND_DONE)

    def catch_up(self) -> TimePosition:
        """The first position of the phase that reads what changed at ``upto`` or later."""
        return TimePosition("since", self.upto, self.upto, 0)

    def to_text(self) -> str:
        return f"{self.phase}:{self.upto}:{self.second}:{self.after_id}"

    @classmethod
    def parse(cls, text: str) -> TimePosition:
        try:
            phase, upto, second, after_id = text.split(":")
            if phase not in ("recent", "since"):
                raise ValueError(phase)
            return cls(phase, int(upto), int(second), int(after_id))  # type: ignore[arg-type]
        except ValueError as exc:
            raise ConfigError(f"unreadable enumeration position {text!r}") from exc


def _moment(second: int) -> str:
    return magento_time(datetime.fromtimestamp(second, UTC))


def _epoch(item: Item) -> int:
    return int(_time(item, "updated_at").timestamp())


def scan_by_time(
    fetch: Fetch, position: TimePosition, *, page_size: int, key: str, fields: str | None
) -> Iterator[tuple[list[Item], TimePosition]]:
    """Pages of records from ``position`` on, each with the position after it.

    Ends when the phase has nothing left (the caller moves from ``recent`` to ``since``).
    """
    newer = position.phase == "since"
    beyond: Literal["gt", "lt"] = "gt" if newer else "lt"
    direction: Literal["ASC", "DESC"] = "ASC" if newer else "DESC"
    second, after_id, upto = position.second, position.after_id, position.upto
    while True:
        if after_id != SECOND_DONE:
            for page in scan_by_id(
                fetch,
                page_size=page_size,
                key=key,
                fields=fields,
                filters=(Filter("updated_at", _moment(second), "eq"),),
                start_after=after_id,
            ):
                # A record saved again while we read has left this second: the catch-up
                # phase (or a later page of it) hands it out with its new time.
                kept = [item for item in page if _epoch(item) == second]
                yield kept, TimePosition(position.phase, upto, second, _id(page[-1], key))
        search = Search(
            filters=(Filter("updated_at", _moment(second), beyond),),
            sort=(("updated_at", direction), ("entity_id", "ASC")),
            page_size=page_size,
            fields=fields,
        )
        items, _ = fetch(search)
        if not items:
            return
        sign = 1 if newer else -1
        keys = [(sign * _epoch(item), _id(item, key)) for item in items]
        # Seconds move away from the position, ids ascend inside a second.
        if keys[0][0] <= sign * second or any(a >= b for a, b in pairwise(keys)):
            raise _out_of_order("records by time")
        if not upto:
            upto = _epoch(items[0]) if not newer else 0
        last = items[-1]
        second, after_id = _epoch(last), _id(last, key)
        yield items, TimePosition(position.phase, upto, second, after_id)
        if len(items) < page_size:
            return
