"""The rate-limit governor: spends budget before each call and learns from PlentyONE's answers.

Before a call it takes a slot from three budgets at once - the user's short-period budget
for reads or writes (paced evenly at the configured share, with a small burst), the system's
daily budget for that kind, and the route's own budget - and sleeps until the slot starts.
A wait longer than ``max_wait`` raises ``RateLimitedError`` instead, so a worker can re-send
its batch later. After the call it reads the ``X-Plenty-*`` headers: a short period nearly
spent, a daily budget down to the part reserved for other integrations, a route limit or a
429 with ``Retry-After`` each block the matching budget for the time PlentyONE names. A 429
also slows that kind of call for a while (``_slowdown``), so the pace after the wait leaves
room for whoever else is spending the budget.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from core.backoff import retry_after
from core.errors import RateLimitedError
from core.plenty._budget_backends import BudgetBackend, SlotRequest
from core.plenty._clock import Clock
from core.plenty._config import PlentyConfig
from core.plenty._long_period import LongPeriodNotes
from core.plenty._slowdown import Slowdown

log = logging.getLogger(__name__)

Kind = Literal["read", "write"]
DAY = 86_400.0

SHORT = "X-Plenty-Global-Short-Period"
LONG = "X-Plenty-Global-Long-Period"
ROUTE = "X-Plenty-Route"

# Without a usable Retry-After or Decay header a 429 still blocks the budget this long.
FALLBACK_BLOCK = 5.0


def kind_of(method: str) -> Kind:
    """GET and HEAD spend the read budget; every other method spends the write budget."""
    return "read" if method.upper() in ("GET", "HEAD") else "write"


@dataclass(frozen=True)
class PeriodHeaders:
    """One ``X-Plenty-*-{Limit,Calls-Left,Decay}`` triple from a response."""

    limit: int | None
    calls_left: int | None
    decay: float | None

    @classmethod
    def read(cls, headers: Mapping[str, str], prefix: str) -> PeriodHeaders | None:
        limit = _number(headers.get(f"{prefix}-Limit"))
        left = _number(headers.get(f"{prefix}-Calls-Left"))
        decay = _number(headers.get(f"{prefix}-Decay"))
        if limit is None and left is None:
            return None
        return cls(
            None if limit is None else int(limit), None if left is None else int(left), decay
        )


class Governor:
    """Keeps one PlentyONE user's calls inside the configured share of its budgets."""

    def __init__(self, config: PlentyConfig, backend: BudgetBackend, clock: Clock) -> None:
        self.config = config
        self.backend = backend
        self.clock = clock
        self._lock = threading.Lock()
        # A lower limit announced by PlentyONE than the configured plan wins from then on.
        self._announced: dict[Kind, int] = {}
        self.slowdown: dict[Kind, Slowdown] = {
            "read": Slowdown(config.window),
            "write": Slowdown(config.window),
        }
        # Where the long-period headers go for the days estimate; None keeps them to itself.
        self.long_notes: LongPeriodNotes | None = None

    def minute_key(self, kind: Kind) -> str:
        return f"{self.config.user_key}|{kind}|short"

    def day_key(self, kind: Kind) -> str:
        return f"{self.config.system_key}|{kind}|day"

    def route_key(self, method: str, route: str) -> str:
        return f"{self.config.user_key}|route|{method.upper()} {route}"

    def slots_for(self, method: str, route: str, now: float | None = None) -> list[SlotRequest]:
        """The budgets a call to ``method route`` takes a slot from, with their pace."""
        kind = kind_of(method)
        factor = self.slowdown[kind].factor(self.clock.now() if now is None else now)
        limit = self.config.budget.per_minute(kind)
        with self._lock:
            limit = min(limit, self._announced.get(kind, limit))
        allowed = max(1, math.floor(limit * self.config.share))
        # The burst never exceeds the headroom between our share and the full limit, so a
        # burst on top of a fully paced period still stays within what PlentyONE allows.
        burst = self.config.burst or min(math.ceil(allowed * 0.1), limit - allowed)
        burst = max(1, burst)
        interval = self.config.window / allowed
        tolerance = (burst - 1) * interval
        # Slowed after a 429: a longer spacing until the pace is back (the burst stays).
        interval /= factor
        daily = self.config.allowed_per_day(kind)
        day_interval = DAY / daily
        return [
            SlotRequest(self.minute_key(kind), interval, tolerance),
            SlotRequest(self.day_key(kind), day_interval, (daily - 1) * day_interval),
            SlotRequest(self.route_key(method, route)),
        ]

    def acquire(self, method: str, route: str, max_wait: float | None = None) -> float:
        """Wait for a slot for one call; returns the seconds waited.

        Raises ``RateLimitedError`` with the wait as ``retry_after`` when it exceeds
        ``max_wait`` (default: the configured one); no budget is spent then.
        """
        limit = self.config.max_wait if max_wait is None else max_wait
        now = self.clock.now()
        reservation = self.backend.reserve(self.slots_for(method, route, now), now, limit)
        if not reservation.granted:
            raise RateLimitedError(
                f"the PlentyONE {kind_of(method)} budget is spent for "
                f"{reservation.wait:.1f} s, longer than the {limit:.0f} s we may wait",
                retry_after=reservation.wait,
                budget=kind_of(method),
            )
        if reservation.wait > 0:
            self.clock.sleep(reservation.wait)
        return reservation.wait

    def observe(self, method: str, route: str, status: int, headers: Mapping[str, str]) -> float:
        """Learn from a response's headers; returns for how long a budget is now blocked (or 0)."""
        kind = kind_of(method)
        now = self.clock.now()
        blocked = 0.0
        short = PeriodHeaders.read(headers, SHORT)
        if short is not None:
            blocked = max(blocked, self._observe_short(kind, short, now))
        long = PeriodHeaders.read(headers, LONG)
        if long is not None and long.limit and long.calls_left is not None:
            reserved = math.ceil(long.limit * (1 - self.config.share))
            if self.long_notes is not None:
                spent = long.calls_left <= reserved
                self.long_notes.seen(kind, long.limit, long.calls_left, long.decay, now, spent)
            if long.calls_left <= reserved:
                wait = long.decay if long.decay is not None else DAY
                log.warning(
                    "PlentyONE daily %s budget is down to the %d calls left for other "
                    "integrations; pausing %s calls for %.0f s",
                    kind,
                    long.calls_left,
                    kind,
                    wait,
                )
                self.backend.block(self.day_key(kind), now + wait)
                blocked = max(blocked, wait)
        route_headers = PeriodHeaders.read(headers, ROUTE)
        route_spent = (
            route_headers is not None
            and route_headers.calls_left is not None
            and route_headers.calls_left <= 0
        )
        if route_spent and route_headers is not None:
            wait = route_headers.decay if route_headers.decay is not None else FALLBACK_BLOCK
            self.backend.block(self.route_key(method, route), now + wait)
            blocked = max(blocked, wait)
        if status == 429:
            told = retry_after(headers, now) or (short.decay if short and short.decay else None)
            wait = told if told is not None else FALLBACK_BLOCK
            key = self.route_key(method, route) if route_spent else self.minute_key(kind)
            self.backend.block(key, now + wait)
            blocked = max(blocked, wait)
            if not route_spent:
                self.slowdown[kind].refused(now, wait)
        return blocked

    def _observe_short(self, kind: Kind, short: PeriodHeaders, now: float) -> float:
        if short.limit:
            with self._lock:
                configured = self.config.budget.per_minute(kind)
                if short.limit < min(configured, self._announced.get(kind, configured)):
                    log.warning(
                        "PlentyONE announces %d %s calls per period, fewer than configured (%d)",
                        short.limit,
                        kind,
                        configured,
                    )
                    self._announced[kind] = short.limit
        if short.calls_left is None or short.calls_left > 1:
            return 0.0
        # Someone else spends this user's budget too: stop until PlentyONE resets the period.
        wait = short.decay if short.decay is not None else self.config.window
        self.backend.block(self.minute_key(kind), now + wait)
        return wait


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        return float(raw.strip())
    except ValueError:
        return None
