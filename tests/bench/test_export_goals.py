"""The export bench's verdicts: the issue's goals and the days a 100k first load takes."""

from __future__ import annotations

import dataclasses

from bench.export import Phase, days_at_cap, goals
from bench.naive_connector import NaiveRun


def _phase(name: str, reads: int, writes: int) -> Phase:
    fields = {f.name: 0 for f in dataclasses.fields(Phase)}
    fields.update(name=name, status="done", reads=reads, writes=writes)
    return Phase(**fields)  # type: ignore[arg-type]


def test_the_days_at_the_cap_follow_the_measured_writes_per_customer() -> None:
    assert days_at_cap(3.59) == {"basic": 34.2, "plus": 8.1}
    assert days_at_cap(2.69)["plus"] < days_at_cap(3.59)["plus"]
    assert days_at_cap(None) == {}


def test_the_goals_say_yes_only_when_met() -> None:
    first, changed = _phase("first", 2, 7_059), _phase("changed", 0, 87)
    met = goals(first, changed, NaiveRun(2_000, 2_000, 6_416), 3.591, 2.690)
    assert met["resync_at_least_50x_fewer_calls"] is True
    assert met["writes_per_new_customer_at_most_2.75"] is False
    assert met["within_3_percent_of_the_floor"] is False
    close = goals(first, _phase("changed", 0, 200), NaiveRun(2_000, 2_000, 6_416), 2.7, 2.69)
    assert close["within_3_percent_of_the_floor"] and close["writes_per_new_customer_at_most_2.75"]
    assert close["resync_at_least_50x_fewer_calls"] is False  # 8,416 calls < 50 x 200
