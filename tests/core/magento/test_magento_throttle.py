"""The per-source gate: spacing between requests, a concurrency cap, one scan at a time."""

from __future__ import annotations

import threading
import time

import pytest

from core.errors import TransientError
from core.magento import SourceGate
from core.magento._throttle import gate_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_requests_start_at_least_min_interval_apart():
    clock = FakeClock()
    gate = SourceGate(2, 0.5, clock=clock, sleep=clock.sleep)

    starts = []
    for _ in range(3):
        with gate.request_slot():
            starts.append(clock.now)

    assert starts == [100.0, 100.5, 101.0]


def test_no_wait_when_requests_are_already_far_apart():
    clock = FakeClock()
    gate = SourceGate(1, 0.5, clock=clock, sleep=clock.sleep)

    with gate.request_slot():
        pass
    clock.now += 5
    with gate.request_slot():
        pass

    assert clock.slept == []


def test_concurrency_never_exceeds_the_cap():
    gate = SourceGate(2, 0.0)
    inside = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()

    def request() -> None:
        nonlocal inside, most
        with gate.request_slot():
            with lock:
                inside += 1
                most = max(most, inside)
            release.wait(5)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    # Wait until the first two are inside (the rest queue at the gate), then release all.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with lock:
            if inside == 2:
                break
        time.sleep(0.001)
    time.sleep(0.05)  # give a wrongly admitted third request the chance to show up
    release.set()
    for thread in threads:
        thread.join(5)

    assert most == 2


def test_a_second_scan_of_the_same_source_is_refused():
    gate = SourceGate(1, 0.0)

    with (
        gate.enumeration(0, "customer ids"),
        pytest.raises(TransientError, match="still running"),
        gate.enumeration(0, "customer changes"),
    ):
        pass
    with gate.enumeration(0, "customer ids"):
        pass  # free again once the first scan ended


def test_clients_of_one_source_share_a_gate_and_latest_limits_apply():
    first = gate_for("https://shared.test", 2, 0.1)
    second = gate_for("https://shared.test", 3, 0.2)

    assert first is second
    assert (second.max_concurrency, second.min_interval) == (3, 0.2)
    assert gate_for("https://other.test", 2, 0.1) is not first


def test_one_customer_scan_per_source_at_a_time(router, make_source):
    router.get("/customers/search").respond(json={"items": [{"id": 1}], "total_count": 5})
    source = make_source(enumeration_wait=0, page_size=1)

    running = source.customers.iter_ids()
    assert next(running) == [1]
    with pytest.raises(TransientError, match="still running"):
        next(source.customers.iter_ids())
    running.close()

    assert next(source.customers.iter_ids()) == [1]
