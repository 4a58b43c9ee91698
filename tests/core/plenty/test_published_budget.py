"""The in-memory budget of the one process that spends it, as other processes read it."""

from __future__ import annotations

import pytest

from core.plenty import DatabaseBudgetBackend, PublishedMemoryBudget, SlotRequest, _shared_state


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_calls_between_copies_touch_no_database_and_readers_see_the_copy(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    budget = PublishedMemoryBudget(every=2.0, clock=clock)
    copies: list[list[str]] = []
    update_rows = _shared_state.update_rows

    def counted(keys: list[str], change):  # type: ignore[no-untyped-def]
        copies.append(keys)
        return update_rows(keys, change)

    monkeypatch.setattr(_shared_state, "update_rows", counted)
    pace = [SlotRequest("erp:write:minute", interval=0.5), SlotRequest("erp:route", 0.0)]
    for n in range(50):  # within the first interval: paced in memory only
        assert budget.reserve(pace, now=1000.0 + n, max_wait=1.0).granted
    assert copies == []
    reader = DatabaseBudgetBackend()
    assert reader.state("erp:write:minute").next_slot == 0.0
    clock.now += 2.0
    budget.reserve(pace, now=1050.0, max_wait=1.0)
    assert copies == [[DatabaseBudgetBackend.prefix + "erp:write:minute"]]  # one copy
    assert reader.state("erp:write:minute") == budget.state("erp:write:minute")
    for n in range(10):
        budget.reserve(pace, now=1051.0 + n, max_wait=1.0)
    assert len(copies) == 1


def test_the_copy_goes_both_ways_and_the_later_slot_wins(db: str) -> None:
    clock = Clock()
    budget = PublishedMemoryBudget(every=2.0, clock=clock)
    other = DatabaseBudgetBackend()  # an export forced inline beside the serve
    key = "erp:write:minute"
    budget.reserve([SlotRequest(key, interval=1.0)], now=1000.0, max_wait=1.0)
    for n in range(5):
        other.reserve([SlotRequest(key, interval=1.0)], now=1000.0 + n * 0.1, max_wait=10.0)
    other.block("erp:write:day", until=5000.0)
    theirs = other.state(key).next_slot
    assert theirs > budget.state(key).next_slot
    budget.block("erp:write:day", until=10.0)  # a key this process holds, earlier block
    clock.now += 2.0
    budget.reserve([SlotRequest(key, interval=1.0)], now=1000.0, max_wait=10.0)
    assert budget.state(key).next_slot >= theirs  # it now paces behind the other's calls
    assert budget.state("erp:write:day").blocked_until == 5000.0
    assert other.state(key).next_slot == budget.state(key).next_slot


def test_a_database_that_fails_never_fails_the_call(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    budget = PublishedMemoryBudget(every=2.0, clock=clock)

    def broken(keys: list[str], change):  # type: ignore[no-untyped-def]
        raise OSError("database is locked")

    monkeypatch.setattr(_shared_state, "update_rows", broken)
    clock.now += 5.0
    assert budget.reserve([SlotRequest("k", interval=1.0)], now=1.0, max_wait=1.0).granted
