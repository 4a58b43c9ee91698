"""Call budgets: the X-Plenty headers, 429 answers, plans, windows, route limits, bursts."""

from __future__ import annotations

import pytest

from sandbox.plenty import Plan, RateLimits, SandboxConfig
from sandbox.plenty.config import WindowMode
from sandbox.plenty.limits import Budget
from tests.sandbox.plenty.support import Api, FakeClock, StartEmulator

SHORT = "X-Plenty-Global-Short-Period"
LONG = "X-Plenty-Global-Long-Period"


def limited(**values: object) -> SandboxConfig:
    return SandboxConfig(limits=RateLimits(**values))


def test_plan_budgets_are_the_documented_ones() -> None:
    assert RateLimits.for_plan(Plan.BASIC).short_read == 80
    assert RateLimits.for_plan("plus").short_write == 120
    flex = RateLimits.for_plan("Flex", short_period_s=10)
    assert (flex.short_read, flex.short_write, flex.long_read, flex.long_write) == (
        240,
        100,
        282_000,
        72_000,
    )
    assert flex.short_period_s == 10
    classic = RateLimits()
    assert (classic.short_read, classic.short_write) == (200, 80)
    assert RateLimits.for_plan("basic", short_write=7).short_write == 7


def test_every_metered_answer_reports_the_budget_of_its_kind(api: Api) -> None:
    read = api.get("/rest/accounts/contacts")
    assert read.headers[f"{SHORT}-Limit"] == "200"
    assert read.headers[f"{SHORT}-Calls-Left"] == "199"
    assert read.headers[f"{SHORT}-Decay"] == "60"
    assert read.headers[f"{LONG}-Limit"] == "166000"
    assert read.headers[f"{LONG}-Calls-Left"] == "165999"
    assert read.headers[f"{LONG}-Decay"] == "86400"
    write = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert write.headers[f"{SHORT}-Limit"] == "80"
    assert write.headers[f"{SHORT}-Calls-Left"] == "79"
    assert write.headers[f"{LONG}-Limit"] == "48000"
    # A failed write (422) still costs a call, as on the real system.
    refused = api.post("/rest/accounts/contacts", json={})
    assert refused.status_code == 422
    assert refused.headers[f"{SHORT}-Calls-Left"] == "78"
    assert "X-Plenty-Route-Limit" not in write.headers


def test_spent_write_budget_answers_429_and_reads_go_on(
    start_emulator: StartEmulator, clock: FakeClock
) -> None:
    api = start_emulator(limited(short_write=3, short_read=100, short_period_s=10))
    api.login()
    for _ in range(3):
        api.create_contact()
    clock.advance(4)
    refused = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert refused.status_code == 429
    assert refused.json() == {"error": {"message": "short period write limit reached", "code": 429}}
    assert refused.headers["Retry-After"] == "6"
    assert refused.headers[f"{SHORT}-Calls-Left"] == "0"
    assert refused.headers[f"{SHORT}-Decay"] == "6"
    assert int(refused.headers[f"{SHORT}-Calls-Reset"]) > 1_700_000_000
    assert api.get("/rest/accounts/contacts").status_code == 200
    assert api.stats()["contacts"] == 3
    clock.advance(6)
    again = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert again.status_code == 200
    assert again.headers[f"{SHORT}-Calls-Left"] == "2"
    assert api.stats()["calls"]["rate_limited"] == 1


def test_spent_read_budget_has_its_own_message(start_emulator: StartEmulator) -> None:
    api = start_emulator(limited(short_read=2))
    api.login()
    api.get("/rest/webstores")
    api.get("/rest/webstores")
    refused = api.get("/rest/webstores")
    assert refused.status_code == 429
    assert refused.json()["error"]["message"] == "short period read limit reached"


def test_budgets_are_per_user(start_emulator: StartEmulator) -> None:
    config = limited(short_read=1).merged({"users": {"a": "1", "b": "2"}})
    api = start_emulator(config)
    api.login("a", "1")
    assert api.get("/rest/webstores").status_code == 200
    assert api.get("/rest/webstores").status_code == 429
    api.login("b", "2")
    assert api.get("/rest/webstores").status_code == 200


def test_long_period_budget_is_per_system(start_emulator: StartEmulator) -> None:
    config = limited(long_write=2, short_write=50).merged({"users": {"a": "1", "b": "2"}})
    api = start_emulator(config)
    api.login("a", "1")
    api.create_contact()
    api.login("b", "2")
    created = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert created.headers[f"{LONG}-Calls-Left"] == "0"
    refused = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert refused.status_code == 429
    assert refused.json()["error"]["message"] == "long period write limit reached"
    assert f"{LONG}-Calls-Reset" in refused.headers


def test_fixed_window_resets_all_at_once(start_emulator: StartEmulator, clock: FakeClock) -> None:
    api = start_emulator(limited(short_read=2, short_period_s=10, window_mode="fixed"))
    api.login()
    api.get("/rest/webstores")
    clock.advance(9)
    api.get("/rest/webstores")
    assert api.get("/rest/webstores").status_code == 429
    clock.advance(1)
    answer = api.get("/rest/webstores")
    assert answer.status_code == 200
    assert answer.headers[f"{SHORT}-Calls-Left"] == "1"


def test_sliding_window_frees_one_call_at_a_time(
    start_emulator: StartEmulator, clock: FakeClock
) -> None:
    api = start_emulator(limited(short_read=2, short_period_s=10, window_mode="sliding"))
    api.login()
    api.get("/rest/webstores")
    clock.advance(6)
    api.get("/rest/webstores")
    refused = api.get("/rest/webstores")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "4"
    clock.advance(4)
    first_freed = api.get("/rest/webstores")
    assert first_freed.status_code == 200
    assert first_freed.headers[f"{SHORT}-Calls-Left"] == "0"
    # The call made at t=6 still counts until t=16.
    assert api.get("/rest/webstores").status_code == 429


@pytest.mark.parametrize("mode", ["fixed", "sliding"])
def test_budget_never_allows_more_than_its_limit_per_period(mode: WindowMode) -> None:
    budget = Budget(limit=5, period_s=10, mode=mode, origin=0.0)
    allowed: list[float] = []
    now = 0.0
    while now < 60:
        left, _ = budget.left_and_decay(now)
        if left > 0:
            budget.spend(now)
            allowed.append(now)
        now += 0.5
    for start in allowed:
        in_window = [t for t in allowed if start <= t < start + 10]
        assert len(in_window) <= (5 if mode == "sliding" else 10)
    assert len(allowed) == 30


def test_route_limit_adds_route_headers(start_emulator: StartEmulator) -> None:
    api = start_emulator(limited(route_limits={"POST /rest/accounts/contacts": 1}))
    api.login()
    first = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert first.headers["X-Plenty-Route-Limit"] == "1"
    assert first.headers["X-Plenty-Route-Calls-Left"] == "0"
    assert "X-Plenty-Route-Decay" in first.headers
    refused = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1})
    assert refused.status_code == 429
    assert refused.json()["error"]["message"] == "route limit reached"
    assert "X-Plenty-Route-Calls-Reset" in refused.headers
    assert api.get("/rest/accounts/contacts").status_code == 200


def test_burst_of_429s_then_normal_service(api: Api) -> None:
    api.http.post("/_sandbox/rate-limits/burst", json={"count": 2})
    assert [api.get("/rest/webstores").status_code for _ in range(3)] == [429, 429, 200]


def test_a_burst_with_a_hold_passes_after_it_refusals_left_or_not(
    api: Api, clock: FakeClock
) -> None:
    held = api.http.post("/_sandbox/rate-limits/burst", json={"count": 50, "hold_s": 3})
    assert held.json() == {"refusing_next": 50, "for_s": 3.0}
    assert api.get("/rest/webstores").status_code == 429
    clock.advance(3)
    assert [api.get("/rest/webstores").status_code for _ in range(3)] == [200, 200, 200]


def test_limits_can_be_switched_off_and_changed_at_run_time(api: Api) -> None:
    api.configure({"limits": {"short_read": 1}})
    assert api.get("/rest/webstores").status_code == 200
    assert api.get("/rest/webstores").status_code == 429
    api.configure({"limits": {"enabled": False}})
    answer = api.get("/rest/webstores")
    assert answer.status_code == 200
    assert f"{SHORT}-Limit" not in answer.headers
