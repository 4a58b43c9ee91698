"""The governor's pacing and blocking, against a fake clock (no real waiting)."""

from __future__ import annotations

import email.utils

import pytest

from core.errors import RateLimitedError
from core.plenty import (
    Budget,
    Governor,
    MemoryBudgetBackend,
    SlotRequest,
    kind_of,
    plan_reservation,
)
from core.plenty._budget_backends import BudgetState
from core.plenty._slowdown import CUT, SLOWEST
from tests.core.plenty.conftest import FakeClock, make_config

ROUTE = "/rest/accounts/contacts"


def governor(clock: FakeClock, **changes: object) -> tuple[Governor, MemoryBudgetBackend]:
    backend = MemoryBudgetBackend()
    values: dict[str, object] = {"budget": Budget(100, 40, 100_000, 50_000), "window": 60.0}
    config = make_config(**{**values, **changes})
    return Governor(config, backend, clock), backend


def send_times(gov: Governor, clock: FakeClock, method: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        gov.acquire(method, ROUTE)
        times.append(clock.now())
    return times


def test_methods_spend_the_read_or_the_write_budget() -> None:
    assert kind_of("GET") == "read"
    assert [kind_of(m) for m in ("POST", "PUT", "DELETE")] == ["write"] * 3


def test_writes_are_paced_at_the_configured_share_after_a_small_burst(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    start = clock.now()
    times = send_times(gov, clock, "POST", 60)
    allowed = 24  # 60 % of 40 writes per minute
    interval = 60.0 / allowed
    burst = 3  # ceil(10 % of 24)
    assert times[:burst] == [start] * burst
    gaps = [b - a for a, b in zip(times[burst - 1 :], times[burst:], strict=False)]
    assert all(gap == pytest.approx(interval) for gap in gaps)
    assert times[-1] - start == pytest.approx((60 - burst) * interval)


def test_no_sliding_window_ever_holds_more_than_the_full_limit(clock: FakeClock) -> None:
    gov, _ = governor(clock, share=0.9)
    times = send_times(gov, clock, "POST", 200)
    for i, t in enumerate(times):
        in_window = sum(1 for u in times[i:] if u < t + 60.0)
        assert in_window <= 40


def test_reads_and_writes_have_separate_budgets(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    send_times(gov, clock, "POST", 30)
    before = clock.now()
    gov.acquire("GET", ROUTE)
    assert clock.now() == before


def test_a_long_wait_raises_with_the_wait_and_spends_nothing(clock: FakeClock) -> None:
    gov, backend = governor(clock, max_wait=10.0)
    backend.block(gov.minute_key("write"), clock.now() + 45)
    with pytest.raises(RateLimitedError) as caught:
        gov.acquire("POST", ROUTE)
    assert caught.value.retry_after == pytest.approx(45)
    assert caught.value.budget == "write"
    assert clock.sleeps == []
    assert backend.state(gov.minute_key("write")).next_slot == 0.0
    assert gov.acquire("POST", ROUTE, max_wait=60) == pytest.approx(45)


def test_retry_after_on_429_blocks_the_budget_of_that_kind(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    blocked = gov.observe("PUT", ROUTE, 429, {"Retry-After": "7"})
    assert blocked == 7
    waited = gov.acquire("POST", ROUTE)
    assert waited == pytest.approx(7)
    assert gov.acquire("GET", ROUTE) == 0


def test_a_429_waits_its_retry_after_then_goes_on_at_a_slower_pace(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    interval = 60.0 / 24  # 60 % of 40 writes per minute
    send_times(gov, clock, "POST", 30)  # the burst is spent: calls go at the paced interval
    refused_at = clock.now()
    assert gov.observe("POST", ROUTE, 429, {"Retry-After": "2"}) == 2
    # Only the Retry-After is waited (the next paced slot would come a little later anyway).
    assert gov.acquire("POST", ROUTE) == pytest.approx(max(2.0, interval))
    resumed = clock.now()
    times = send_times(gov, clock, "POST", 4)
    gaps = [b - a for a, b in zip([resumed, *times], times, strict=False)]
    # Slowed to CUT of the pace: the spacing grows by about 1 / 0.7.
    assert all(1.3 * interval < gap < 1.5 * interval for gap in gaps)
    # It climbs back to the full pace within one window after the wait.
    clock.advance(60.0)
    later = send_times(gov, clock, "POST", 6)
    assert later[-1] - later[2] == pytest.approx(3 * interval)
    assert gov.slowdown["write"].cuts == 1
    assert refused_at < resumed


def test_the_429s_of_one_window_cut_the_pace_once(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    slow = gov.slowdown["write"]
    for _ in range(5):  # a burst of refusals
        gov.observe("POST", ROUTE, 429, {"Retry-After": "1"})
    assert slow.cuts == 1 and slow.factor(clock.now() + 1) == pytest.approx(CUT)
    # More bursts within the window, answers in between: still the one cut, climbing back.
    climbed = []
    for _ in range(4):
        clock.advance(10.0)
        gov.observe("POST", ROUTE, 201, {})
        gov.observe("POST", ROUTE, 429, {"Retry-After": "1"})
        climbed.append(slow.factor(clock.now()))
    assert slow.cuts == 1
    assert CUT < climbed[0] < climbed[1] < climbed[2] < climbed[3] < 1.0
    assert gov.slowdown["read"].factor(clock.now()) == 1.0
    # Contention that lasts cuts again once a window has passed since the last cut.
    clock.advance(21.0)
    before = slow.factor(clock.now())
    gov.observe("POST", ROUTE, 429, {"Retry-After": "1"})
    assert slow.cuts == 2 and slow.factor(clock.now()) == pytest.approx(before * CUT)
    for _ in range(40):
        clock.advance(61.0)
        gov.observe("POST", ROUTE, 429, {"Retry-After": "60"})
    assert slow.factor(clock.now() + 60) == pytest.approx(SLOWEST)  # never slower than that


def test_429_without_retry_after_uses_the_decay_header(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    headers = {
        "X-Plenty-Global-Short-Period-Limit": "40",
        "X-Plenty-Global-Short-Period-Calls-Left": "0",
        "X-Plenty-Global-Short-Period-Decay": "12",
    }
    assert gov.observe("POST", ROUTE, 429, headers) == 12
    assert gov.acquire("POST", ROUTE) == pytest.approx(12)


def test_a_nearly_spent_short_period_pauses_before_a_429(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    headers = {
        "X-Plenty-Global-Short-Period-Limit": "100",
        "X-Plenty-Global-Short-Period-Calls-Left": "1",
        "X-Plenty-Global-Short-Period-Decay": "20",
    }
    assert gov.observe("GET", ROUTE, 200, headers) == 20
    assert gov.acquire("GET", ROUTE) == pytest.approx(20)
    plenty_left = {**headers, "X-Plenty-Global-Short-Period-Calls-Left": "50"}
    assert gov.observe("GET", ROUTE, 200, plenty_left) == 0


def test_the_daily_budget_pauses_at_the_part_left_for_others(clock: FakeClock) -> None:
    gov, _ = governor(clock, max_wait=100_000.0)
    headers = {
        "X-Plenty-Global-Long-Period-Limit": "1000",
        "X-Plenty-Global-Long-Period-Calls-Left": "401",
        "X-Plenty-Global-Long-Period-Decay": "3600",
    }
    assert gov.observe("POST", ROUTE, 200, headers) == 0
    down_to_reserve = {**headers, "X-Plenty-Global-Long-Period-Calls-Left": "400"}
    assert gov.observe("POST", ROUTE, 200, down_to_reserve) == 3600
    assert gov.acquire("POST", ROUTE) == pytest.approx(3600)


def test_route_limits_block_only_their_route(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    other = "/rest/accounts/contacts/{contactId}/addresses"
    headers = {
        "X-Plenty-Route-Limit": "10",
        "X-Plenty-Route-Calls-Left": "0",
        "X-Plenty-Route-Decay": "9",
    }
    assert gov.observe("POST", other, 200, headers) == 9
    assert gov.acquire("POST", ROUTE) == 0
    assert gov.acquire("POST", other) == pytest.approx(9)


def test_a_lower_announced_limit_slows_the_pace(clock: FakeClock) -> None:
    gov, _ = governor(clock, burst=1)
    gov.observe("POST", ROUTE, 200, {"X-Plenty-Global-Short-Period-Limit": "20"})
    times = send_times(gov, clock, "POST", 3)
    assert times[2] - times[1] == pytest.approx(60.0 / 12)


def test_the_daily_budget_is_paced_once_its_share_is_spent(clock: FakeClock) -> None:
    gov, _ = governor(clock, budget=Budget(100, 40, 100, 10), share=0.5, max_wait=1e6)
    times = send_times(gov, clock, "POST", 6)
    assert times[5] - times[0] >= 86_400 / 5 - 1e-6


def test_a_reservation_over_several_budgets_starts_when_all_allow_it() -> None:
    states = {"a": BudgetState(next_slot=110.0), "b": BudgetState(blocked_until=120.0)}
    requests = [SlotRequest("a", interval=2.0), SlotRequest("b")]
    reservation = plan_reservation(states, requests, now=100.0, max_wait=60)
    assert reservation.granted and reservation.wait == pytest.approx(20)
    assert states["a"].next_slot == pytest.approx(122.0)
    refused = plan_reservation(states, requests, now=100.0, max_wait=5)
    assert not refused.granted and refused.wait == pytest.approx(22)
    assert states["a"].next_slot == pytest.approx(122.0)


def test_retry_after_may_be_an_http_date(clock: FakeClock) -> None:
    gov, _ = governor(clock)
    when = email.utils.formatdate(clock.now() + 40, usegmt=True)
    assert gov.observe("GET", ROUTE, 429, {"Retry-After": when}) == pytest.approx(40, abs=1)
