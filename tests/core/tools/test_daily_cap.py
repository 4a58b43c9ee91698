"""The days the daily write cap makes an export take, from the period's rest and the pace."""

from __future__ import annotations

import math

import pytest

from core.plenty import PLAN_BUDGETS, LongPeriodSeen
from core.tools.daily_cap import DAY, current_period, spend_seconds

# 100,000 new customers at 3.59 writes each, the figure the first load was measured at.
WRITES = 100_000 * 3.59


# The plain ratio (writes / share a day) is 34.6 and 8.3 days; the last day's rest goes at
# the pace in a few hours, so the load ends earlier on that last day.
@pytest.mark.parametrize(("plan", "days"), [("basic", 34.2), ("plus", 8.1)])
def test_a_large_first_load_takes_the_days_its_plans_cap_allows(plan: str, days: float) -> None:
    budget = PLAN_BUDGETS[plan]
    per_day = math.floor(budget.writes_per_day * 0.6)
    per_minute = budget.writes_per_minute * 0.6
    # A fresh period: the whole share today, then one share a day.
    seconds = spend_seconds(WRITES, per_day, per_minute, per_day, DAY)
    assert round(seconds / DAY, 1) == days
    assert math.floor(WRITES / per_day) <= seconds / DAY <= WRITES / per_day


def test_writes_inside_todays_rest_go_at_the_pace() -> None:
    assert spend_seconds(120, 1_000, 60, 500, 3_600) == pytest.approx(120.0)
    assert spend_seconds(0, 1_000, 60, 500, 3_600) == 0.0


def test_past_todays_rest_the_writes_wait_for_the_reset() -> None:
    # 500 left today, resets in an hour; 700 more: 200 go after the reset, at 1 a second.
    assert spend_seconds(700, 1_000, 60, 500, 3_600) == pytest.approx(3_600 + 200)
    # Three whole periods and 10 writes on the fourth.
    assert spend_seconds(3_010, 1_000, 60, 0, 600) == pytest.approx(600 + 3 * DAY + 10)
    # Exactly two periods: the second ends at the pace, not at its reset.
    assert spend_seconds(2_000, 1_000, 60, 0, 600) == pytest.approx(600 + DAY + 1_000)


def test_a_slow_pace_cannot_spend_todays_rest_before_the_reset() -> None:
    # 1 write a minute, 30 minutes to the reset: only 30 of the 500 go today.
    assert spend_seconds(100, 1_000, 1, 500, 1_800) == pytest.approx(1_800 + 70 * 60)


def test_the_current_period_comes_from_plentys_headers() -> None:
    now = 1_000_000.0
    seen = LongPeriodSeen(limit=1_000, calls_left=700, decay=3_600, at=now - 600)
    # 400 of the 1,000 stay for other integrations: 300 of the 700 left are ours.
    assert current_period(seen, 0.6, 600, now) == (300, 3_000.0, "headers")
    spent = LongPeriodSeen(limit=1_000, calls_left=350, decay=3_600, at=now - 600)
    assert current_period(spent, 0.6, 600, now)[0] == 0
    # That period ended 100 s ago: a full one runs, for the rest of a day.
    over = LongPeriodSeen(limit=1_000, calls_left=0, decay=500, at=now - 600)
    assert current_period(over, 0.6, 600, now) == (600, DAY - 100, "headers")
    assert current_period(None, 0.6, 600, now) == (600, DAY, "plan")
