"""The Redis budget and token store keep every worker on one budget and one token."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
import pytest
import redis
from cryptography.fernet import Fernet, MultiFernet
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.db.models import Run, RunBatch
from core.errors import InfrastructureError
from core.export.batch import export_batch
from core.export.connections import Backends
from core.export.inline import execute_inline, prepare
from core.export.runs import RunOptions, lease_batch
from core.export.service import close_deps, open_deps, start_export
from core.plenty import (
    Budget,
    MemoryBudgetBackend,
    MemoryTokenStore,
    PlentyClient,
    PlentyConfig,
    RetryPolicy,
    SlotRequest,
    StoredToken,
)
from core.secrets import Secret
from sandbox.plenty import RateLimits, SandboxConfig, create_app
from sandbox.server import serve_in_thread
from tests.worker.conftest import PrivateRedis, Sandboxes, free_port, make_profile
from worker.redis_budget import RedisBudgetBackend
from worker.redis_tokens import RedisTokenStore
from worker.routes import transient_only


def test_reservations_match_the_reference_step(
    redis_client: redis.Redis, redis_namespace: str
) -> None:
    shared = RedisBudgetBackend(redis_client, f"{redis_namespace}:")
    reference = MemoryBudgetBackend()
    requests = [SlotRequest("u|write|short", 0.5, 1.0), SlotRequest("s|write|day", 0.01, 5.0)]
    now = 1_000.0
    for step in range(12):
        expected = reference.reserve(requests, now + step * 0.1, max_wait=2.0)
        got = shared.reserve(requests, now + step * 0.1, max_wait=2.0)
        assert (got.granted, round(got.wait, 6)) == (expected.granted, round(expected.wait, 6))
    shared.block("u|write|short", now + 30)
    reference.block("u|write|short", now + 30)
    refused = shared.reserve(requests, now + 2, max_wait=5.0)
    assert not refused.granted and refused.wait == reference.reserve(requests, now + 2, 5.0).wait
    assert shared.state("u|write|short").blocked_until == now + 30


def test_a_budget_without_a_limit_is_not_written(
    redis_client: redis.Redis, redis_namespace: str
) -> None:
    shared = RedisBudgetBackend(redis_client, f"{redis_namespace}:")
    route = "u|route|POST /rest/accounts/contacts"
    requests = [SlotRequest("u|write|short", 0.5, 1.0), SlotRequest(route)]
    for step in range(5):
        assert shared.reserve(requests, 1_000.0 + step, max_wait=2.0).granted
    assert not redis_client.exists(f"{redis_namespace}:budget:{route}")
    assert redis_client.exists(f"{redis_namespace}:budget:u|write|short")
    shared.block(route, time.time() + 30)
    assert shared.reserve(requests, time.time(), max_wait=60).wait == pytest.approx(30, abs=1)


def test_threads_never_share_a_slot(redis_client: redis.Redis, redis_namespace: str) -> None:
    backend = RedisBudgetBackend(redis_client, f"{redis_namespace}:")
    request = [SlotRequest("u|read|short", interval=1.0)]
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            granted = backend.reserve(request, 5_000.0, max_wait=10_000.0)
            assert granted.granted
            with lock:
                waits.append(granted.wait)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 200 reservations at the same instant: each got its own slot, one interval apart.
    assert sorted(waits) == [float(i) for i in range(200)]


def test_token_is_shared_and_discarded_only_if_unchanged(
    redis_client: redis.Redis, redis_namespace: str
) -> None:
    first = RedisTokenStore(redis_client, f"{redis_namespace}:")
    second = RedisTokenStore(redis_client, f"{redis_namespace}:")
    token = StoredToken("sealed-1", time.time() + 3600, time.time() + 3000)
    first.save("erp|api", token)
    assert second.load("erp|api") == token
    second.discard("erp|api", "sealed-other")
    assert first.load("erp|api") == token
    second.discard("erp|api", "sealed-1")
    assert first.load("erp|api") is None
    raw = redis_client.get(f"{redis_namespace}:token:erp|api")
    assert raw is None


def test_one_login_lease_at_a_time(redis_client: redis.Redis, redis_namespace: str) -> None:
    store = RedisTokenStore(redis_client, f"{redis_namespace}:")
    assert store.try_lease("erp|api", "worker-a", 0.0, ttl=30)
    assert not store.try_lease("erp|api", "worker-b", 0.0, ttl=30)
    assert store.try_lease("erp|api", "worker-a", 0.0, ttl=30)  # the holder extends it
    store.release_lease("erp|api", "worker-b")  # not the holder: nothing happens
    assert not store.try_lease("erp|api", "worker-b", 0.0, ttl=30)
    store.release_lease("erp|api", "worker-a")
    assert store.try_lease("erp|api", "worker-b", 0.0, ttl=0.2)
    time.sleep(0.4)
    assert store.try_lease("erp|api", "worker-c", 0.0, ttl=30)  # an expired lease is free


def _every_call(budget: RedisBudgetBackend, tokens: RedisTokenStore) -> list[Callable[[], object]]:
    request = [SlotRequest("u|read|short", interval=1.0)]
    token = StoredToken("sealed", time.time() + 3600, time.time() + 3000)
    return [
        lambda: budget.reserve(request, time.time(), max_wait=10.0),
        lambda: budget.block("u|read|short", time.time() + 5),
        lambda: budget.state("u|read|short"),
        lambda: tokens.load("u"),
        lambda: tokens.save("u", token),
        lambda: tokens.discard("u", "sealed"),
        lambda: tokens.try_lease("u", "me", time.time(), 5.0),
        lambda: tokens.release_lease("u", "me"),
    ]


def test_a_closed_redis_port_is_an_outage_that_dramatiq_retries() -> None:
    # No retries inside redis-py, so the test does not wait out its backoff eight times.
    client = redis.Redis(
        host="127.0.0.1", port=free_port(), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    calls = _every_call(RedisBudgetBackend(client, "t:"), RedisTokenStore(client, "t:"))
    for call in calls:
        with pytest.raises(InfrastructureError) as caught:
            call()
        assert caught.value.service == "redis" and "Redis is out of reach" in str(caught.value)
        assert transient_only(0, caught.value)


def test_the_backends_carry_on_after_a_redis_restart(private_redis: PrivateRedis) -> None:
    client = redis.Redis.from_url(private_redis.url, socket_timeout=2, socket_connect_timeout=2)
    budget, tokens = RedisBudgetBackend(client, "t:"), RedisTokenStore(client, "t:")
    for call in _every_call(budget, tokens):
        call()
    private_redis.stop()
    for call in _every_call(budget, tokens):
        with pytest.raises(InfrastructureError):
            call()
    private_redis.start()
    for call in _every_call(budget, tokens):  # the same clients, scripts loaded again
        call()
    assert tokens.load("u") is None  # released and discarded above: the calls really ran


def test_a_batch_waits_for_redis_and_is_exported_once_it_is_back(
    sqlite_db: str, private_redis: PrivateRedis, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=12)
    run = start_export(make_profile(boxes), RunOptions(entity_ids=list(range(1, 13)), guests=False))
    client = redis.Redis.from_url(
        private_redis.url, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    backends = Backends(
        tokens=RedisTokenStore(client, "t:"), budget=RedisBudgetBackend(client, "t:")
    )
    deps = open_deps(run, backends=backends, retry=RetryPolicy(attempts=2, base_delay=0.05))
    try:
        prepare(deps, run)
        batch = lease_batch(RunBatch.get(RunBatch.run == run.id).id, deps.owner)
        assert batch is not None
        private_redis.stop()
        result = export_batch(deps, batch)
        assert (result.status, result.retry_after) == ("waiting", 5.0)
        waiting = RunBatch.get_by_id(batch.id)
        # Given back whole, without spending an attempt, and nobody recorded as failed.
        assert waiting.status == "pending" and waiting.attempts == 0
        assert len(waiting.entity_keys) == 12 and Run.get_by_id(run.id).failed == 0
        private_redis.start()
        finished = execute_inline(deps, run.id)
    finally:
        close_deps(deps)
    assert finished.status == "done" and finished.failed == 0
    assert finished.created == 12 == len(boxes.contacts())


class _StopsRedisAfterWrites(httpx.BaseTransport):
    """The network; Redis goes away the moment PlentyONE has answered a write."""

    def __init__(self, server: PrivateRedis) -> None:
        self._inner = httpx.HTTPTransport()
        self._server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.method == "POST" and request.url.path.startswith("/rest/accounts"):
            self._server.stop()
        return response


def test_an_answered_write_stands_when_redis_goes_away_before_the_budget_learns(
    private_redis: PrivateRedis,
) -> None:
    client = redis.Redis.from_url(
        private_redis.url, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    # One write left after this one: the answer tells the governor to block the budget.
    limits = RateLimits(short_write=2, short_period_s=1)
    with serve_in_thread(create_app(SandboxConfig(limits=limits))) as server:
        config = PlentyConfig(
            base_url=server.base_url,
            username="api-user",
            password=Secret("api-password"),
            budget=Budget(10_000, 10_000, 10**7, 10**7),
            logout_on_close=False,
        )
        plenty = PlentyClient(
            config,
            transport=_StopsRedisAfterWrites(private_redis),
            token_store=MemoryTokenStore(),
            budget_backend=RedisBudgetBackend(client, "t:"),
            cipher=MultiFernet([Fernet(Fernet.generate_key())]),
        )
        with plenty:
            created = plenty.contacts.create({"typeId": 1, "referrerId": 1, "lastName": "Kept"})
        contacts = httpx.get(f"{server.base_url}/_sandbox/contacts").json()
    assert [c["id"] for c in contacts] == [created.id]
