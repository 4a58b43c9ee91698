"""How many days the daily write cap makes an export take, spent the way the governor spends it.

The governor lets plentysync spend its share of PlentyONE's long-period (daily) budget at the
short-period pace, and stops when PlentyONE's ``Long-Period-Calls-Left`` reaches the part kept
for other integrations, until the period's ``Decay`` runs out. So the writes an export still
needs go out as: what the current period has left above that reserve (no faster than the
pace allows before it resets), then one share per period, the last one at the pace.

What the current period has left comes from the headers PlentyONE sent last (stored by the
export's governor); a period that has ended since starts a full one. Without any headers the
current period is taken as full and a day long.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from core.db.models import Client
from core.export.connections import plenty_config
from core.plenty import Governor, LongPeriodSeen, MemoryBudgetBackend, SystemClock, load_long_period

DAY = 86_400.0

Source = Literal["headers", "plan"]


@dataclass(frozen=True)
class DailyCap:
    """The writes an export still needs and the days the daily cap makes them take."""

    writes: float
    per_period: int  # our share of one long period
    per_minute: float  # the governor's write pace
    left_now: int  # our share still left in the current period
    resets_in_s: float  # until PlentyONE starts the next period
    source: Source
    seconds: float

    @property
    def days(self) -> float:
        return self.seconds / DAY

    def describe(self) -> str:
        return f"≈ {self.days:.1f} days at the daily write cap"


def spend_seconds(
    writes: float, per_period: int, per_minute: float, left_now: int, resets_in: float
) -> float:
    """Seconds ``writes`` take: the current period's rest, then whole periods, at the pace."""
    if writes <= 0:
        return 0.0
    pace = per_minute / 60.0
    first = min(left_now, pace * resets_in)
    if writes <= first:
        return writes / pace
    rest = writes - first
    per_window = min(per_period, pace * DAY)
    full = math.floor(rest / per_window)
    if full and full * per_window == rest:
        # The last period's writes end at the pace, not at its reset.
        full -= 1
    return resets_in + full * DAY + (rest - full * per_window) / pace


def current_period(
    seen: LongPeriodSeen | None, share: float, per_period: int, now: float
) -> tuple[int, float, Source]:
    """Our share left in the current period and the seconds until it resets."""
    if seen is None or seen.decay is None:
        return per_period, DAY, "plan"
    reserved = math.ceil(seen.limit * (1 - share))
    ends = seen.at + seen.decay
    if now < ends:
        return max(0, min(per_period, seen.calls_left - reserved)), ends - now, "headers"
    # That period is over: a full one began when it ended, and one every day since.
    return per_period, DAY - (now - ends) % DAY, "headers"


def daily_cap(client: Client, writes: float, now: float | None = None) -> DailyCap:
    """The days ``writes`` more writes need on ``client`` at the daily write cap."""
    config = plenty_config(client, with_password=False)
    governor = Governor(config, MemoryBudgetBackend(), SystemClock())
    minute, _day, _route = governor.slots_for("POST", "/")
    per_minute = 60.0 / minute.interval
    per_period = config.allowed_per_day("write")
    moment = time.time() if now is None else now
    seen = load_long_period(config.system_key, "write")
    if seen is not None:
        # PlentyONE's announced limit wins over the configured plan, as in the governor.
        per_period = min(per_period, max(1, math.floor(seen.limit * config.share)))
    left, resets_in, source = current_period(seen, config.share, per_period, moment)
    return DailyCap(
        writes=round(writes, 1),
        per_period=per_period,
        per_minute=round(per_minute, 2),
        left_now=left,
        resets_in_s=round(resets_in, 1),
        source=source,
        seconds=round(spend_seconds(writes, per_period, per_minute, left, resets_in), 1),
    )
