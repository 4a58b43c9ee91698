"""Where the rate-limit budget lives, so every thread and process of one user shares it.

The state of one budget is two numbers: the *theoretical arrival time* of the next paced slot
(GCRA: it moves ``interval`` ahead with every granted call) and a *blocked until* time set
when PlentyONE said to stop (``Retry-After``, a spent period). A backend only has to offer two
atomic operations over those numbers, which a Redis Lua script does naturally:

* ``reserve(requests, now, max_wait)`` - take the next slot of every listed budget together;
  grant it only if the caller would wait no longer than ``max_wait``, and say how long.
* ``block(key, until)`` - let no slot of this budget start before ``until``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from core.plenty import _shared_state

log = logging.getLogger(__name__)
PUBLISH_EVERY = 2.0


@dataclass(frozen=True)
class SlotRequest:
    """One budget to take a slot from: its key and its pace.

    ``interval`` is the spacing of calls at the allowed pace, ``tolerance`` how far ahead of
    that pace a burst may run (both in seconds). A key with interval 0 only honours blocks.
    """

    key: str
    interval: float = 0.0
    tolerance: float = 0.0


@dataclass(frozen=True)
class Reservation:
    """The answer to a reservation: ``granted`` with a ``wait`` before sending, or refused."""

    granted: bool
    wait: float


@dataclass
class BudgetState:
    """The stored state of one budget (seconds since the epoch)."""

    next_slot: float = 0.0
    blocked_until: float = 0.0

    def to_json(self) -> str:
        return json.dumps({"next_slot": self.next_slot, "blocked_until": self.blocked_until})

    @classmethod
    def from_json(cls, raw: str | None) -> BudgetState:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(float(data.get("next_slot", 0.0)), float(data.get("blocked_until", 0.0)))


class BudgetBackend(Protocol):
    """Shared rate-limit state; both operations must be atomic across all its users."""

    def reserve(self, requests: list[SlotRequest], now: float, max_wait: float) -> Reservation: ...

    def block(self, key: str, until: float) -> None: ...


def plan_reservation(
    states: dict[str, BudgetState], requests: list[SlotRequest], now: float, max_wait: float
) -> Reservation:
    """The GCRA step every backend runs atomically; updates ``states`` when granted."""
    start = now
    for request in requests:
        state = states[request.key]
        earliest = max(state.next_slot, now) - request.tolerance
        start = max(start, earliest, state.blocked_until)
    wait = start - now
    if wait > max_wait:
        return Reservation(granted=False, wait=wait)
    for request in requests:
        if request.interval <= 0:
            continue  # no pace to keep: its state stays as it is and is never rewritten
        state = states[request.key]
        state.next_slot = max(state.next_slot, now, start) + request.interval
    return Reservation(granted=True, wait=wait)


class MemoryBudgetBackend:
    """Budget state in this process only: for one process, tests and the emulator demo."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, BudgetState] = {}

    def reserve(self, requests: list[SlotRequest], now: float, max_wait: float) -> Reservation:
        with self._lock:
            states = {r.key: self._states.setdefault(r.key, BudgetState()) for r in requests}
            return plan_reservation(states, requests, now, max_wait)

    def block(self, key: str, until: float) -> None:
        with self._lock:
            state = self._states.setdefault(key, BudgetState())
            state.blocked_until = max(state.blocked_until, until)

    def state(self, key: str) -> BudgetState:
        with self._lock:
            state = self._states.get(key, BudgetState())
            return BudgetState(state.next_slot, state.blocked_until)


class DatabaseBudgetBackend:
    """Budget state in the ``SharedState`` table: every process of a single host shares it."""

    prefix = "plenty.budget:"

    def reserve(self, requests: list[SlotRequest], now: float, max_wait: float) -> Reservation:
        keys = [self.prefix + r.key for r in requests]

        def change(values: dict[str, str]) -> tuple[dict[str, str | None], Reservation]:
            states = {
                r.key: BudgetState.from_json(values.get(self.prefix + r.key)) for r in requests
            }
            before = {k: s.to_json() for k, s in states.items()}
            reservation = plan_reservation(states, requests, now, max_wait)
            if not reservation.granted:
                return {}, reservation
            # Only budgets whose state moved are written: a route without a limit never is.
            changed = {k: s.to_json() for k, s in states.items()}
            return {self.prefix + k: v for k, v in changed.items() if v != before[k]}, reservation

        return _shared_state.update_rows(keys, change)

    def block(self, key: str, until: float) -> None:
        stored_key = self.prefix + key

        def change(values: dict[str, str]) -> tuple[dict[str, str | None], None]:
            state = BudgetState.from_json(values.get(stored_key))
            if state.blocked_until >= until:
                return {}, None
            state.blocked_until = until
            return {stored_key: state.to_json()}, None

        _shared_state.update_rows([stored_key], change)

    def state(self, key: str) -> BudgetState:
        return BudgetState.from_json(_shared_state.read_value(self.prefix + key))


class PublishedMemoryBudget(MemoryBudgetBackend):
    """The budget of the one process that spends it, in memory, copied to the database now and then.

    Other processes read budgets from the database (``plentysync status``, a TUI attached to
    a serve), and an export forced ``--inline`` beside the serve paces by them. Every
    ``every`` seconds, on a call, this process merges what it holds with what is stored: the
    later slot and the later block win on both sides. Readers so see this process's spending
    at most ``every`` seconds late, an inline export paces behind it, and it behind that
    export's calls; the call itself never waits for the database (a failed copy is tried again
    at the next interval).
    """

    def __init__(
        self, every: float = PUBLISH_EVERY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.every = every
        self._clock = clock
        self._due = clock() + every
        self._publishing = threading.Lock()

    def reserve(self, requests: list[SlotRequest], now: float, max_wait: float) -> Reservation:
        reservation = super().reserve(requests, now, max_wait)
        self._publish_when_due()
        return reservation

    def block(self, key: str, until: float) -> None:
        super().block(key, until)
        self._publish_when_due()

    def _publish_when_due(self) -> None:
        if self._clock() < self._due or not self._publishing.acquire(blocking=False):
            return
        try:
            self.publish()
        except Exception as exc:  # the database is busy or gone: the pacing goes on
            log.debug("the budget was not copied to the database: %s", exc)
        finally:
            self._due = self._clock() + self.every
            self._publishing.release()

    def publish(self) -> None:
        """Merge this process's budgets with the stored ones, both ways."""
        prefix = DatabaseBudgetBackend.prefix
        with self._lock:
            mine = {
                key: BudgetState(state.next_slot, state.blocked_until)
                for key, state in self._states.items()
                if state.next_slot or state.blocked_until
            }
        if not mine:
            return

        def change(
            values: dict[str, str],
        ) -> tuple[dict[str, str | None], dict[str, BudgetState]]:
            merged: dict[str, BudgetState] = {}
            writes: dict[str, str | None] = {}
            for key, state in mine.items():
                stored = BudgetState.from_json(values.get(prefix + key))
                both = BudgetState(
                    max(state.next_slot, stored.next_slot),
                    max(state.blocked_until, stored.blocked_until),
                )
                merged[key] = both
                if both != stored:
                    writes[prefix + key] = both.to_json()
            return writes, merged

        merged = _shared_state.update_rows([prefix + key for key in mine], change)
        with self._lock:
            for key, both in merged.items():
                state = self._states.setdefault(key, BudgetState())
                state.next_slot = max(state.next_slot, both.next_slot)
                state.blocked_until = max(state.blocked_until, both.blocked_until)
