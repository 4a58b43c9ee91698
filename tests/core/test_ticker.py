"""The ticker calls its function from a thread while the block runs, and tidies up there."""

from __future__ import annotations

import threading
import time

import pytest

from core.ticker import ticking


def test_it_calls_again_and_again_until_the_block_ends() -> None:
    calls: list[str] = []
    ended: list[str] = []

    def tick() -> None:
        calls.append(threading.current_thread().name)

    with ticking(tick, 0.01, name="tick-test", at_end=lambda: ended.append("x")):
        deadline = time.monotonic() + 5
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    count = len(calls)
    assert count >= 3
    assert set(calls) == {"tick-test"}
    assert ended == ["x"]
    time.sleep(0.05)
    assert len(calls) == count  # nothing after the block


def test_false_stops_it_early_and_at_end_runs_in_the_thread() -> None:
    calls: list[int] = []
    ended = threading.Event()
    where: list[str] = []

    def tick() -> bool:
        calls.append(1)
        return len(calls) < 2

    def at_end() -> None:
        where.append(threading.current_thread().name)
        ended.set()

    with ticking(tick, 0.01, name="stops", at_end=at_end):
        assert ended.wait(5)
        time.sleep(0.05)
    assert len(calls) == 2
    assert where == ["stops"]


def test_the_first_call_waits_one_interval() -> None:
    calls: list[int] = []
    with ticking(lambda: calls.append(1), 60):
        time.sleep(0.05)
    assert calls == []


def test_an_uncaught_error_ends_the_thread_but_at_end_still_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    ended = threading.Event()

    def tick() -> None:
        raise RuntimeError("boom")

    with ticking(tick, 0.01, at_end=ended.set):
        assert ended.wait(5)
