"""How fast we may call again after a 429: a part of the pace at once, then back up gradually.

A 429 means PlentyONE is busier than our share assumed (other integrations spend the same
budget). Waiting for its ``Retry-After`` and then sending at full pace again would run into
the next refusal; stopping for a whole window would waste the budget. So a 429 cuts the pace
of that kind of call to ``CUT`` of what it was (never below ``SLOWEST``), and once the wait
is over the pace climbs back linearly to the full share within one rate-limit window.

At most one cut per window: the refusals of one window (a burst of them, or several bursts
while the pace is still climbing back) are one sign of contention, as TCP reacts once per
round trip, and each of them costs only its own ``Retry-After`` (the governor blocks the
budget that long). Cutting again at every refusal drove the pace to its floor under frequent
short bursts. Contention that lasts cuts again each window, from wherever the pace has
climbed back to; long waits (the climb starts after them) so compound down to ``SLOWEST``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# The pace after a cut, as a part of the pace before it, and the lowest it ever goes.
CUT = 0.7
SLOWEST = 0.125


@dataclass
class _Cut:
    factor: float  # the pace right after the cut, as a part of the full share
    at: float  # when it was cut: no further cut for one window from then
    recovers_from: float  # when the climb back starts: the end of the Retry-After


class Slowdown:
    """The part of the configured pace one kind of call may use now (1.0: all of it)."""

    def __init__(self, recovery: float) -> None:
        self.recovery = recovery
        self._lock = threading.Lock()
        self._cut: _Cut | None = None
        self.cuts = 0

    def factor(self, now: float) -> float:
        with self._lock:
            return self._factor(now)

    def refused(self, now: float, wait: float) -> None:
        """A 429 that told us to wait ``wait`` seconds: cut the pace, once per window."""
        with self._lock:
            cut = self._cut
            if cut is not None and now < cut.at + self.recovery:
                return  # the same window's contention: its wait is the budget's block
            factor = max(SLOWEST, self._factor(now) * CUT)
            self._cut = _Cut(factor, now, now + wait)
            self.cuts += 1

    def _factor(self, now: float) -> float:
        cut = self._cut
        if cut is None:
            return 1.0
        climbed = max(0.0, now - cut.recovers_from) / self.recovery
        factor = cut.factor + (1.0 - cut.factor) * climbed
        if factor >= 1.0:
            self._cut = None
            return 1.0
        return factor
