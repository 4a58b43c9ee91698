"""Call budgets as PlentyONE meters them, and the ``X-Plenty-*`` headers that report them.

Short period: per user, reads (GET) and writes (everything else) counted apart. Long period:
per system, reads and writes apart. Route: per user and route template, when configured.
A call is only counted when every budget it touches has room; a refused call costs nothing.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sandbox.plenty.config import RateLimits, WindowMode
from sandbox.plenty.protocol import ApiError

Kind = Literal["read", "write"]

SHORT = "X-Plenty-Global-Short-Period"
LONG = "X-Plenty-Global-Long-Period"
ROUTE = "X-Plenty-Route"


@dataclass
class Budget:
    """One metered period: a fixed window that resets, or a sliding one."""

    limit: int
    period_s: float
    mode: WindowMode
    origin: float
    _window_start: float = 0.0
    _count: int = 0
    _calls: deque[float] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._window_start = self.origin

    def left_and_decay(self, now: float) -> tuple[int, float]:
        """Calls still allowed, and seconds until room comes back (the ``-Decay``)."""
        if self.mode == "fixed":
            if now >= self._window_start + self.period_s:
                # Windows stay aligned to the origin so every client sees the same reset.
                elapsed = (now - self.origin) // self.period_s
                self._window_start = self.origin + elapsed * self.period_s
                self._count = 0
            return self.limit - self._count, self._window_start + self.period_s - now
        while self._calls and self._calls[0] <= now - self.period_s:
            self._calls.popleft()
        decay = self._calls[0] + self.period_s - now if self._calls else self.period_s
        return self.limit - len(self._calls), decay

    def spend(self, now: float) -> None:
        if self.mode == "fixed":
            self._count += 1
        else:
            self._calls.append(now)


@dataclass
class Metered:
    """What one budget check found: headers for the answer, or the refusal."""

    headers: dict[str, str]
    refusal: ApiError | None = None


class RateLimiter:
    """Keeps every budget of one emulated system and decides whether a call may run."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._budgets: dict[tuple[str, ...], Budget] = {}
        self._forced_refusals = 0
        self._forced_until = math.inf
        self.refused = 0

    def reset(self) -> None:
        """Start every period afresh (after a reset or a change of the limits)."""
        with self._lock:
            self._budgets.clear()
            self._forced_refusals = 0

    def force_refusals(self, count: int, hold_s: float | None = None) -> None:
        """Refuse the next ``count`` metered calls with 429, whatever the budgets say.

        With ``hold_s`` the burst also ends that many seconds from now, refusals left or not:
        contention from other integrations passes with time, so a client that comes back
        when told is served even when it alone calls.
        """
        with self._lock:
            self._forced_refusals = max(0, count)
            self._forced_until = math.inf if hold_s is None else self._clock() + hold_s

    def meter(
        self, limits: RateLimits, user: str, kind: Kind, route: str, *, spend: bool = True
    ) -> Metered:
        """Check (and by default spend) the budgets a call by ``user`` touches."""
        if not limits.enabled:
            return Metered(headers={})
        with self._lock:
            now = self._clock()
            periods = self._periods(limits, user, kind, route, now)
            views = [(prefix, budget, message, *budget.left_and_decay(now))
                     for prefix, budget, message in periods]  # fmt: skip
            refusal = None
            if self._forced_refusals and now >= self._forced_until:
                self._forced_refusals = 0  # the burst has passed
            if spend and self._forced_refusals > 0:
                self._forced_refusals -= 1
                prefix, _, message, _, decay = views[0]
                refusal = _refusal(prefix, message, decay)
            elif spend:
                spent = next((v for v in views if v[3] <= 0), None)
                if spent is not None:
                    refusal = _refusal(spent[0], spent[2], spent[4])
            counted = spend and refusal is None
            headers: dict[str, str] = {}
            for prefix, budget, _, left, decay in views:
                if counted:
                    budget.spend(now)
                headers[f"{prefix}-Limit"] = str(budget.limit)
                headers[f"{prefix}-Calls-Left"] = str(max(0, left - int(counted)))
                headers[f"{prefix}-Decay"] = str(math.ceil(decay))
            if refusal is not None:
                self.refused += 1
                refusal.headers = {**headers, **refusal.headers}
            return Metered(headers=headers, refusal=refusal)

    def _periods(
        self, limits: RateLimits, user: str, kind: Kind, route: str, now: float
    ) -> list[tuple[str, Budget, str]]:
        """The budgets one call touches, each with its header prefix and refusal message."""
        mode = limits.window_mode
        short_limit = limits.short_read if kind == "read" else limits.short_write
        long_limit = limits.long_read if kind == "read" else limits.long_write
        periods = [
            (
                SHORT,
                self._budget(("short", user, kind), short_limit, limits.short_period_s, mode, now),
                f"short period {kind} limit reached",
            ),
            (
                LONG,
                self._budget(("long", kind), long_limit, limits.long_period_s, mode, now),
                f"long period {kind} limit reached",
            ),
        ]
        route_limit = limits.route_limits.get(route)
        if route_limit is not None:
            budget = self._budget(
                ("route", user, route), route_limit, limits.short_period_s, mode, now
            )
            periods.append((ROUTE, budget, "route limit reached"))
        return periods

    def _budget(
        self, key: tuple[str, ...], limit: int, period_s: float, mode: WindowMode, now: float
    ) -> Budget:
        budget = self._budgets.get(key)
        if budget is None or (budget.limit, budget.period_s, budget.mode) != (
            limit, period_s, mode,
        ):  # fmt: skip
            budget = Budget(limit=limit, period_s=period_s, mode=mode, origin=now)
            self._budgets[key] = budget
        return budget


def _refusal(prefix: str, message: str, decay: float) -> ApiError:
    wait = max(1, math.ceil(decay))
    return ApiError(
        429,
        message,
        headers={
            "Retry-After": str(wait),
            f"{prefix}-Calls-Reset": str(int(time.time() + wait)),
        },
    )
