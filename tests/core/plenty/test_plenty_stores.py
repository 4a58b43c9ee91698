"""Token stores and budget backends: in memory and in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from core.db import init_database
from core.db.connection import database
from core.plenty import (
    BudgetBackend,
    DatabaseBudgetBackend,
    DatabaseTokenStore,
    MemoryBudgetBackend,
    MemoryTokenStore,
    SlotRequest,
    StoredToken,
    TokenStore,
)
from core.settings import Settings, reset_settings

USER = "https://p1.test|api-user"


def open_shared_database(kind: str, request: pytest.FixtureRequest) -> None:
    """The application database on SQLite or PostgreSQL (skipped when it is not reachable)."""
    if kind == "sqlite":
        request.getfixturevalue("sqlite_db")
        return
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("PLENTYSYNC_DATABASE_URL", request.getfixturevalue("postgres_url"))
    reset_settings()
    init_database(Settings(), announce=False)
    request.addfinalizer(database.close)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def token_store(request: pytest.FixtureRequest) -> TokenStore:
    if request.param == "memory":
        return MemoryTokenStore()
    open_shared_database(request.param, request)
    return DatabaseTokenStore()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def budget(request: pytest.FixtureRequest) -> BudgetBackend:
    if request.param == "memory":
        return MemoryBudgetBackend()
    open_shared_database(request.param, request)
    return DatabaseBudgetBackend()


def test_a_saved_token_is_loaded_by_everyone(token_store: TokenStore) -> None:
    assert token_store.load(USER) is None
    token_store.save(USER, StoredToken("fernet:abc", 1000.0, 900.0))
    token_store.save(USER, StoredToken("fernet:def", 2000.0, 1900.0))
    assert token_store.load(USER) == StoredToken("fernet:def", 2000.0, 1900.0)
    assert token_store.load("someone else") is None


def test_discard_leaves_a_newer_token_alone(token_store: TokenStore) -> None:
    token_store.save(USER, StoredToken("fernet:new", 2000.0, 1900.0))
    token_store.discard(USER, "fernet:old")
    assert token_store.load(USER) is not None
    token_store.discard(USER, "fernet:new")
    assert token_store.load(USER) is None


def test_the_login_lease_has_one_holder_until_it_expires(token_store: TokenStore) -> None:
    assert token_store.try_lease(USER, "a", now=100.0, ttl=30)
    assert token_store.try_lease(USER, "a", now=101.0, ttl=30)
    assert not token_store.try_lease(USER, "b", now=120.0, ttl=30)
    assert token_store.try_lease(USER, "b", now=131.5, ttl=30)
    token_store.release_lease(USER, "a")
    assert not token_store.try_lease(USER, "c", now=140.0, ttl=30)
    token_store.release_lease(USER, "b")
    assert token_store.try_lease(USER, "c", now=140.0, ttl=30)


def test_reservations_hand_out_paced_slots(budget: BudgetBackend) -> None:
    slot = [SlotRequest("k", interval=2.0, tolerance=2.0)]
    waits = [budget.reserve(slot, now=100.0, max_wait=60).wait for _ in range(4)]
    assert waits == pytest.approx([0.0, 0.0, 2.0, 4.0])
    refused = budget.reserve(slot, now=100.0, max_wait=5)
    assert not refused.granted and refused.wait == pytest.approx(6.0)
    assert budget.reserve(slot, now=100.0, max_wait=60).wait == pytest.approx(6.0)


def test_a_block_delays_only_its_budget(budget: BudgetBackend) -> None:
    budget.block("writes", until=130.0)
    budget.block("writes", until=110.0)  # an earlier end never shortens a block
    assert budget.reserve([SlotRequest("writes")], now=100.0, max_wait=60).wait == 30.0
    assert budget.reserve([SlotRequest("reads")], now=100.0, max_wait=60).wait == 0.0
    both = budget.reserve([SlotRequest("reads"), SlotRequest("writes")], 100.0, 60)
    assert both.wait == 30.0


def test_concurrent_reservations_never_share_a_slot(budget: BudgetBackend) -> None:
    slot = [SlotRequest("k", interval=1.0)]
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(10):
            wait = budget.reserve(slot, now=0.0, max_wait=1000).wait
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == pytest.approx([float(n) for n in range(40)])
