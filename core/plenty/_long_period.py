"""What PlentyONE last said about its long-period (daily) budget, kept for the estimates.

Every response carries ``X-Plenty-Global-Long-Period-{Limit,Calls-Left,Decay}``. The governor
hands each one to a :class:`LongPeriodNotes`, which stores the latest per system and kind in
the ``SharedState`` table at most once a minute (and at once when our share of the period
is used up), so ``status`` and the estimate in any
process know how many calls the current period still has and when PlentyONE resets it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass

import peewee

from core.db.connection import write_transaction
from core.db.models import SharedState, utcnow
from core.errors import PlentysyncError

log = logging.getLogger(__name__)

# Stored at most this often per kind (seconds): one small write a minute, whatever the pace.
EVERY = 60.0


@dataclass(frozen=True)
class LongPeriodSeen:
    """One long-period header triple and when it was read (epoch seconds)."""

    limit: int
    calls_left: int
    decay: float | None
    at: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> LongPeriodSeen:
        data = json.loads(raw)
        decay = data.get("decay")
        return cls(
            int(data["limit"]),
            int(data["calls_left"]),
            None if decay is None else float(decay),
            float(data["at"]),
        )


def _key(system_key: str, kind: str) -> str:
    return f"long-period:{system_key}|{kind}"


def store_long_period(system_key: str, kind: str, seen: LongPeriodSeen) -> None:
    value = seen.to_json()
    with write_transaction():
        SharedState.insert(
            key=_key(system_key, kind), value=value, updated_at=utcnow()
        ).on_conflict(
            conflict_target=[SharedState.key],
            update={SharedState.value: value, SharedState.updated_at: utcnow()},
        ).execute()


def load_long_period(system_key: str, kind: str) -> LongPeriodSeen | None:
    row = SharedState.get_or_none(SharedState.key == _key(system_key, kind))
    if row is None or not row.value:
        return None
    try:
        return LongPeriodSeen.from_json(row.value)
    except (KeyError, TypeError, ValueError):
        return None


class LongPeriodNotes:
    """Keeps the latest long-period headers per kind; writes them out at most every ``every``."""

    def __init__(
        self,
        system_key: str,
        write: Callable[[str, str, LongPeriodSeen], None] = store_long_period,
        every: float = EVERY,
    ) -> None:
        self.system_key = system_key
        self._write = write
        self._every = every
        self._lock = threading.Lock()
        self.latest: dict[str, LongPeriodSeen] = {}
        self._written: dict[str, float] = {}

    def seen(
        self,
        kind: str,
        limit: int,
        calls_left: int,
        decay: float | None,
        now: float,
        spent: bool = False,
    ) -> None:
        """Note one response's headers; ``spent`` (our share is used up) is written at once."""
        note = LongPeriodSeen(limit, calls_left, decay, now)
        with self._lock:
            self.latest[kind] = note
            due = spent or now - self._written.get(kind, float("-inf")) >= self._every
            if due:
                self._written[kind] = now
        if not due:
            return
        try:
            self._write(self.system_key, kind, note)
        except (PlentysyncError, peewee.DatabaseError) as exc:
            # Only the estimate reads it: a call must not fail for want of this note.
            log.warning("PlentyONE's long-period headers not stored: %s", exc)
