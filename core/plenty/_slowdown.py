"""How fast we may call again after a 429: half the pace at once, then back up step by step.

A 429 means PlentyONE is busier than our share assumed (other integrations spend the same
budget). Waiting for its ``Retry-After`` and then sending at full pace again would run into
the next refusal; stopping for a whole window would waste the budget. So each 429 that comes
after an answered call halves the pace of that kind (never below ``SLOWEST``); once the wait
is over the pace climbs back linearly to the full share within one rate-limit window.
Refusals in a row without an answer in between belong to the same episode and cut once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# The pace after a cut, as a part of the pace before it, and the lowest it ever goes.
CUT = 0.5
SLOWEST = 0.125


@dataclass
class _Cut:
    factor: float  # the pace right after the cut, as a part of the full share
    recovers_from: float  # when the climb back starts: the end of the Retry-After
    answered: bool = False  # an answer other than 429 came since this cut


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
        """A 429 that told us to wait ``wait`` seconds: cut the pace unless already cut."""
        with self._lock:
            if self._cut is not None and not self._cut.answered:
                self._cut.recovers_from = max(self._cut.recovers_from, now + wait)
                return
            factor = max(SLOWEST, self._factor(now) * CUT)
            self._cut = _Cut(factor, now + wait)
            self.cuts += 1

    def answered(self) -> None:
        """An answer that was not a 429: the next refusal is a new episode."""
        with self._lock:
            if self._cut is not None:
                self._cut.answered = True

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
