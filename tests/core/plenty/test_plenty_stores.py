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


@pytest.fixture(params=["sqlite", "postgres"])
def statements(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the application database runs from now on, in order."""
    open_shared_database(request.param, request)
    seen: list[str] = []
    real = database.obj.execute_sql

    def counting(sql: str, *args: object, **kwargs: object) -> object:
        seen.append(sql)
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    return seen


def test_a_budget_without_a_limit_is_never_written(statements: list[str]) -> None:
    budget = DatabaseBudgetBackend()
    call = [
        SlotRequest("u|write|short", interval=0.5, tolerance=1.0),
        SlotRequest("s|write|day", interval=0.01, tolerance=5.0),
        SlotRequest("u|route|POST /rest/accounts/contacts"),
    ]
    budget.reserve(call, now=100.0, max_wait=60)
    statements.clear()
    for step in range(1, 11):
        assert budget.reserve(call, now=100.0 + step, max_wait=60).granted
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    # Per call: one read of the three rows and one update each for the two paced budgets.
    assert len(writes) == 2 * 10
    assert len(statements) == 3 * 10
    assert budget.state("u|route|POST /rest/accounts/contacts").next_slot == 0.0
    budget.block("u|route|POST /rest/accounts/contacts", until=200.0)
    assert budget.reserve(call, now=150.0, max_wait=60).wait == pytest.approx(50.0)
