"""Injected latency, server errors and hanging writes with each of their three outcomes."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import httpx
import pytest

from sandbox.plenty import Faults, SandboxConfig
from sandbox.plenty.faults import FaultInjector
from tests.sandbox.plenty.support import Api, StartEmulator

CREATE = {"typeId": 1, "referrerId": 1}
HANG = {"timeout_rate": 1.0, "timeout_hang_s": 0.6, "late_apply_s": 0.4}


def only(outcome: str) -> dict[str, object]:
    weights = {"not_applied": 0, "applied": 0, "applied_late": 0, outcome: 1}
    return {"faults": {**HANG, "timeout_outcomes": weights}}


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def give_up_on_create(api: Api) -> None:
    with pytest.raises(httpx.ReadTimeout):
        api.post("/rest/accounts/contacts", json=CREATE, timeout=0.2)


def test_hanging_write_not_applied(api: Api) -> None:
    api.configure(only("not_applied"))
    give_up_on_create(api)
    # Past the hang and the late-write delay, nothing has been written.
    assert wait_for(lambda: api.stats()["calls"]["by_status"].get("504") == 1)
    time.sleep(0.6)
    assert api.stats()["contacts"] == 0
    assert api.stats()["faults"]["timeout_not_applied"] == 1


def test_hanging_write_applied_at_once(api: Api) -> None:
    api.configure(only("applied"))
    give_up_on_create(api)
    # The contact exists while the request is still hanging.
    assert api.stats()["contacts"] == 1
    waited = api.post("/rest/accounts/contacts", json=CREATE, timeout=5)
    assert waited.status_code == 200
    assert waited.json()["id"] == 2


def test_hanging_write_applied_late(api: Api) -> None:
    api.configure(only("applied_late"))
    give_up_on_create(api)
    assert api.stats()["contacts"] == 0
    assert wait_for(lambda: api.stats()["contacts"] == 1)
    assert api.stats()["faults"]["late_writes_applied"] == 1


def test_a_patient_client_sees_504_for_a_write_that_is_not_applied(api: Api) -> None:
    api.configure(only("not_applied"))
    answer = api.post("/rest/accounts/contacts", json=CREATE, timeout=5)
    assert answer.status_code == 504
    assert answer.json()["error"]["code"] == 504


def test_seeded_mix_produces_all_three_outcomes_reproducibly() -> None:
    faults = Faults(seed=7, timeout_rate=1.0)

    def sequence() -> list[str | None]:
        injector = FaultInjector(faults)
        return [injector.decide(faults, is_write=True).timeout for _ in range(30)]

    first = sequence()
    assert first == sequence()
    assert set(first) == {"not_applied", "applied", "applied_late"}
    other = Faults(seed=8, timeout_rate=1.0)
    injector = FaultInjector(other)
    assert [injector.decide(other, is_write=True).timeout for _ in range(30)] != first


def test_seeded_mix_over_http(start_emulator: StartEmulator) -> None:
    config = SandboxConfig().merged({"faults": {**HANG, "timeout_hang_s": 0.3, "seed": 3}})
    api = start_emulator(config, real_clock=True)
    api.login()
    for _ in range(9):
        with contextlib.suppress(httpx.ReadTimeout):
            api.post("/rest/accounts/contacts", json=CREATE, timeout=0.1)
    injected = api.stats()["faults"]
    counts = {
        k: injected.get(f"timeout_{k}", 0) for k in ("not_applied", "applied", "applied_late")
    }
    assert sum(counts.values()) == 9
    assert all(n > 0 for n in counts.values()), counts
    expected = counts["applied"] + counts["applied_late"]
    assert wait_for(lambda: api.stats()["contacts"] == expected)


def test_server_errors_at_a_rate(api: Api) -> None:
    api.configure({"faults": {"error_rate": 1.0, "error_statuses": [503]}})
    answer = api.post("/rest/accounts/contacts", json=CREATE)
    assert answer.status_code == 503
    assert "X-Plenty-Global-Short-Period-Limit" in answer.headers
    assert api.stats()["contacts"] == 0
    # Reads are spared unless asked for.
    assert api.get("/rest/accounts/contacts").status_code == 200
    api.configure({"faults": {"include_reads": True}})
    assert api.get("/rest/accounts/contacts").status_code == 503
    api.configure({"faults": {"error_rate": 0.0}})
    assert api.post("/rest/accounts/contacts", json=CREATE).status_code == 200


def test_error_rate_is_roughly_honoured(api: Api) -> None:
    api.configure({"faults": {"error_rate": 0.3, "seed": 11}, "limits": {"enabled": False}})
    statuses = [api.post("/rest/accounts/contacts", json=CREATE).status_code for _ in range(100)]
    errors = sum(1 for status in statuses if status >= 500)
    assert 15 <= errors <= 45
    assert api.stats()["contacts"] == 100 - errors


def test_latency_is_added(api: Api) -> None:
    api.configure({"faults": {"latency_ms": 150, "jitter_ms": 50}})
    started = time.monotonic()
    api.get("/rest/webstores")
    assert time.monotonic() - started >= 0.15
