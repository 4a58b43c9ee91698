"""The governor and write timeouts against the emulator over real HTTP (takes ~20 s)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import MultiFernet

from core.errors import WriteTimeoutError
from core.plenty import (
    Budget,
    BudgetBackend,
    DatabaseBudgetBackend,
    DatabaseTokenStore,
    MemoryBudgetBackend,
    MemoryTokenStore,
    PlentyClient,
    PlentyConfig,
    Timeouts,
    TokenStore,
)
from core.secrets import Secret
from sandbox.plenty import Faults, RateLimits, SandboxConfig, create_app
from sandbox.plenty.config import TimeoutOutcomes
from sandbox.server import RunningServer, serve_in_thread

CONTACTS = "POST /rest/accounts/contacts"


def serve(config: SandboxConfig) -> RunningServer:
    return serve_in_thread(create_app(config))


def sandbox_stats(server: RunningServer) -> dict[str, Any]:
    return httpx.get(f"{server.base_url}/_sandbox/stats").json()


def contact(n: int) -> dict[str, Any]:
    return {"typeId": 1, "referrerId": 1, "externalId": f"gov:{n}", "firstName": f"N{n}"}


def drive_writes(
    server: RunningServer,
    cipher: MultiFernet,
    *,
    window: float,
    write_limit: int,
    threads: int,
    backend: BudgetBackend,
    store: TokenStore,
) -> tuple[float, list[PlentyClient], int]:
    """Three times the write budget in creates from ``threads`` clients sharing one budget."""
    config = PlentyConfig(
        base_url=server.base_url,
        username="api-user",
        password=Secret("api-password"),
        budget=Budget(1000, write_limit, 10**6, 10**6),
        window=window,
        share=0.6,
    )
    clients = [
        PlentyClient(config, cipher=cipher, budget_backend=backend, token_store=store)
        for _ in range(threads)
    ]
    for client in clients:
        client.session.token()
    total = 3 * write_limit
    counter = iter(range(total))
    lock = threading.Lock()

    def work(client: PlentyClient) -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            client.contacts.create(contact(n))

    workers = [threading.Thread(target=work, args=(c,)) for c in clients]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.monotonic() - started, clients, total


@pytest.mark.slow  # three budgets of writes at the share pace, in real time
@pytest.mark.parametrize("shared", ["memory", "database"])
def test_three_budgets_of_writes_from_threads_finish_without_429_at_the_share_pace(
    shared: str, cipher: MultiFernet, request: pytest.FixtureRequest
) -> None:
    backend: BudgetBackend
    store: TokenStore
    if shared == "database":
        request.getfixturevalue("sqlite_db")
        backend, store, window = DatabaseBudgetBackend(), DatabaseTokenStore(), 1.5
    else:
        backend, store, window = MemoryBudgetBackend(), MemoryTokenStore(), 2.5
    write_limit = 10
    limits = RateLimits(short_write=write_limit, short_read=1000, short_period_s=window)
    with serve(SandboxConfig(limits=limits)) as server:
        elapsed, clients, total = drive_writes(
            server,
            cipher,
            window=window,
            write_limit=write_limit,
            threads=4,
            backend=backend,
            store=store,
        )
        stats = sandbox_stats(server)
    allowed = int(write_limit * 0.6)
    burst = 1  # ceil(10 % of 6)
    bound = (total - burst) * window / allowed
    assert stats["calls"]["rate_limited"] == 0
    assert sum(c.calls.rate_limited for c in clients) == 0
    assert stats["calls"]["by_route"][CONTACTS] == total == stats["contacts"]
    assert stats["sessions"]["logins"] == 1
    assert 0.9 * bound <= elapsed <= 1.1 * bound, (elapsed, bound)
    for client in clients:
        client.close(logout=False)


@pytest.fixture
def timeout_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    outcome = request.param
    weights = {"not_applied": 0.0, "applied": 0.0, "applied_late": 0.0, outcome: 1.0}
    faults = Faults(
        timeout_rate=1.0,
        timeout_hang_s=1.0,
        late_apply_s=0.4,
        timeout_outcomes=TimeoutOutcomes(**weights),
    )
    with serve(SandboxConfig(faults=faults)) as server:
        yield server


@pytest.mark.parametrize(
    "timeout_server", ["not_applied", "applied", "applied_late"], indirect=True
)
def test_a_timed_out_create_is_never_repeated_blindly(
    timeout_server: RunningServer, cipher: MultiFernet, request: pytest.FixtureRequest
) -> None:
    config = PlentyConfig(
        base_url=timeout_server.base_url,
        username="api-user",
        password=Secret("api-password"),
        budget=Budget(1000, 1000, 10**6, 10**6),
        timeouts=Timeouts(connect=2, read=0.3, write=2, pool=2),
    )
    with PlentyClient(config, cipher=cipher) as client:
        with pytest.raises(WriteTimeoutError):
            client.contacts.create(contact(1))
        seen_at_once = client.contacts.find_by_external_id("gov:1")
        injected = sandbox_stats(timeout_server)["faults"]
        # Wait until the emulator has finished the hung request (and a late write, if any).
        wait_for(lambda: CONTACTS in sandbox_stats(timeout_server)["calls"]["by_route"])
        if injected.get("timeout_applied_late"):
            wait_for(lambda: sandbox_stats(timeout_server)["faults"]["late_writes_applied"] == 1)
        seen_later = client.contacts.find_by_external_id("gov:1")
    stats = sandbox_stats(timeout_server)
    assert stats["calls"]["by_route"][CONTACTS] == 1
    assert stats["duplicate_contacts_by_external_id"] == 0
    expected = {"not_applied": (0, 0), "applied": (1, 1), "applied_late": (0, 1)}
    outcome = request.node.callspec.params["timeout_server"]
    assert injected[f"timeout_{outcome}"] == 1
    assert (len(seen_at_once), len(seen_later)) == expected[outcome]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the emulator did not get there in time"
        time.sleep(0.05)


def test_a_burst_of_429s_from_the_emulator_is_waited_out_and_slows_without_stopping(
    cipher: MultiFernet,
) -> None:
    # A one-second period: the emulator's burst refusals name the rest of it as Retry-After.
    window = 1.0
    limits = RateLimits(short_write=100, short_read=1000, short_period_s=window)
    with serve(SandboxConfig(limits=limits)) as server:
        config = PlentyConfig(
            base_url=server.base_url,
            username="api-user",
            password=Secret("api-password"),
            budget=Budget(1000, 100, 10**6, 10**6),
            window=window,
            share=0.6,
        )
        client = PlentyClient(config, cipher=cipher)
        client.session.token()
        for n in range(3):
            client.contacts.create(contact(n))
        refused = httpx.post(f"{server.base_url}/_sandbox/rate-limits/burst", json={"count": 2})
        assert refused.json() == {"refusing_next": 2}
        started = time.monotonic()
        for n in range(3, 8):
            client.contacts.create(contact(n))
        elapsed = time.monotonic() - started
        stats = sandbox_stats(server)
        client.close(logout=False)
    # Each refusal was sent again after its Retry-After (at most the one-second period left):
    # all eight contacts exist once, and the writes went on at a slowed pace.
    assert stats["calls"]["rate_limited"] == 2 == client.calls.rate_limited
    assert stats["contacts"] == 8 and stats["duplicate_contacts_by_external_id"] == 0
    # Slowed, not stopped: a cut per one-second window the refusals came in.
    assert 1 <= client.governor.slowdown["write"].cuts <= 2
    assert 0.5 <= elapsed < 2 * window + 1.0, elapsed
