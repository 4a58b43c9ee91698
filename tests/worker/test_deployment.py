"""The deployment: chosen once from the settings, and the one way a front end starts a run."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dramatiq
import pytest
import redis
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import ActorNotFound

from core.clients import ClientSettings
from core.db.models import CustomerLink, Run, RunBatch, SharedState
from core.export.runs import RunOptions
from core.plenty import DatabaseBudgetBackend, PublishedMemoryBudget
from core.settings import get_settings, reset_settings
from tests.worker.conftest import (
    REDIS_URL,
    Sandboxes,
    WorkerProcesses,
    make_profile,
    wait_finished,
    wait_for,
)
from tests.worker.offline import offline_profile
from worker import jobs
from worker.courier import Courier
from worker.deployment import choose_deployment
from worker.leader import RedisLeadership, SoleLeadership
from worker.redis_tokens import RedisTokenStore
from worker.routes import ROUTES
from worker.serve_lock import lock_path
from worker.settings import process_settings, reset_worker_settings


@pytest.fixture
def on_redis(monkeypatch: pytest.MonkeyPatch, redis_namespace: str) -> str:
    monkeypatch.setenv("PLENTYSYNC_REDIS_URL", REDIS_URL)
    reset_settings()
    return redis_namespace


def test_the_redis_url_alone_picks_the_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    single = choose_deployment()
    assert single.kind == "single-host"
    assert single.backends().budget is None  # the database budget
    assert isinstance(single.leadership(), SoleLeadership)
    assert single.heartbeat() is None
    assert isinstance(single.broker(), StubBroker)

    monkeypatch.setenv("PLENTYSYNC_REDIS_URL", "redis://127.0.0.1:1/0")
    reset_settings()
    shared = choose_deployment()
    assert shared.kind == "redis"
    assert isinstance(shared.backends().tokens, RedisTokenStore)
    assert isinstance(shared.leadership(), RedisLeadership)
    assert shared.heartbeat() is not None
    assert shared.executor() == "workers"
    with pytest.raises(Exception, match="single host"):
        shared.embedded()


def test_one_settings_object_per_process_until_the_environment_is_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = process_settings()
    assert process_settings() is first
    assert choose_deployment().settings is first
    monkeypatch.setenv("PLENTYSYNC_HEALTH_WORKER_TTL_S", "7")
    assert process_settings().health.worker_ttl_s == 60  # read once: kept
    reset_worker_settings()
    assert process_settings().health.worker_ttl_s == 7


def test_a_job_without_an_actor_or_a_renamed_actor_fails_at_the_send(sqlite_db: str) -> None:
    courier = Courier(StubBroker())
    with pytest.raises(LookupError, match="is no actor"):
        courier.send(jobs.start_exclusive, (1,), queue="bulk")
    # A broker whose workers know the drain under another name (renamed on one side).
    elsewhere = StubBroker()
    dramatiq.actor(lambda profile_id: None, actor_name="drain_profile", broker=elsewhere)
    with pytest.raises(ActorNotFound):
        Courier(elsewhere).drain(1)
    assert not elsewhere.queues.get("live") or elsewhere.queues["live"].qsize() == 0
    # Every actor the table names is declared under that name on a deployment's broker.
    declared = choose_deployment().broker().actors
    assert {route.name for route in ROUTES.values()} <= set(declared)


def test_inline_when_nothing_else_works_the_run(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=12)
    profile = make_profile(boxes)
    seen: list[int] = []
    deployment = choose_deployment()
    stored = _stored_budgets()
    started = deployment.start_run(
        profile.name, RunOptions(), progress=lambda run: seen.append(run.id)
    )
    assert started.executor == "inline"
    run = Run.get_by_id(started.run_id)
    assert run.status == "done" and run.created == 12
    assert seen and set(seen) == {run.id}
    # The only process that works exports paced them in memory (no budget row is written
    # per call, tests/core/plenty/test_published_budget.py); copied, other processes read it.
    own = deployment.work_backends().budget
    assert isinstance(own, PublishedMemoryBudget) and own is deployment.work_backends().budget
    assert run.api_writes > 0
    _assert_copied(own, stored)


def _assert_copied(own: PublishedMemoryBudget, stored: dict[str, str]) -> None:
    """What the memory budget spent, once copied, is what other processes read."""
    own.publish()
    copied = {k: v for k, v in _stored_budgets().items() if v != stored.get(k)}
    assert copied, "the budget spent is not readable by other processes"
    reader = DatabaseBudgetBackend()
    for key in copied:
        plain = key.removeprefix(DatabaseBudgetBackend.prefix)
        assert reader.state(plain) == own.state(plain)


def _stored_budgets() -> dict[str, str]:
    rows = SharedState.select().where(SharedState.key.startswith(DatabaseBudgetBackend.prefix))
    return {row.key: row.value for row in rows}


@pytest.fixture
def serve_lock_held_elsewhere(plentysync_home: Path) -> Iterator[None]:
    """A child process that holds the serve lock, as a running ``plentysync serve`` does."""
    home = get_settings().home
    home.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, filelock; lock = filelock.FileLock(sys.argv[1]); lock.acquire(); "
        "print('held', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, lock_path(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield
    assert child.stdin is not None
    child.stdin.close()
    child.wait(timeout=10)


def test_a_serve_in_another_process_gets_the_run(
    sqlite_db: str, serve_lock_held_elsewhere: None
) -> None:
    profile = offline_profile()
    deployment = choose_deployment()
    assert deployment.serve_running()
    assert [w.name for w in deployment.live_workers()] == ["serve"]
    # An export forced inline here shares the budget with that serve, in the database.
    assert deployment.work_backends().budget is None
    started = deployment.start_run(profile.id, RunOptions())
    assert started.executor == "serve"
    assert Run.get_by_id(started.run_id).status == "pending"  # serve's sweeper sends it


def test_the_cli_hands_its_export_and_resume_to_a_running_serve(
    sqlite_db: str, serve_lock_held_elsewhere: None
) -> None:
    from tests.cli.support import invoke

    profile = offline_profile()
    # --detach: this stand-in for a serve holds the lock but works nothing to follow.
    exported = invoke("customer", "export", "--profile", profile.name, "--detach")
    assert exported.exit_code == 0, exported.output
    run = Run.get(Run.profile == profile.id)
    assert f"run {run.id} started; 'plentysync serve' works it" in exported.output
    assert run.status == "pending"
    Run.update(status="failed").where(Run.id == run.id).execute()
    resumed = invoke("run", "resume", str(run.id))
    assert resumed.exit_code == 0, resumed.output
    assert "for 'plentysync serve' to pick up" in resumed.output
    assert Run.get_by_id(run.id).status == "running"


def test_the_embedded_service_works_a_run_and_stops_in_time(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_WORKER_TICK_S", "0.2")
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "2")
    reset_worker_settings()
    boxes = start_sandboxes(customers=20)
    profile = make_profile(boxes, changes={"schedule": {"process_batch_size": 5}})
    deployment = choose_deployment()
    service = deployment.embedded()
    service.start()
    try:
        assert not deployment.serve_running()  # the lock is this process's own
        own = deployment.work_backends().budget
        assert isinstance(own, PublishedMemoryBudget)
        stored = _stored_budgets()
        assert [w.name for w in deployment.live_workers()] == ["serve"]
        other = choose_deployment()
        assert other.serve_running() and other.executor() == "serve"
        started = deployment.start_run(profile, RunOptions())
        assert started.executor == "embedded"
        wait_for(lambda: Run.get_by_id(started.run_id).status == "done", 60, "the embedded run")
        # Another front end sees a serve and leaves its run to it: sent within seconds.
        began = time.monotonic()
        left = other.start_run(profile, RunOptions(force=True))
        assert left.executor == "serve"
        wait_for(lambda: Run.get_by_id(left.run_id).status == "done", 30, "the adopted run")
        assert time.monotonic() - began < 15  # well before the sweeper's grace period
        _assert_copied(own, stored)  # both runs paced in this process's memory
    finally:
        began = time.monotonic()
        stopped = service.stop(timeout=10)
        took = time.monotonic() - began
    assert stopped and took < 10
    assert CustomerLink.select().count() == boxes.stats()["contacts"] == 20
    assert not choose_deployment().serve_running()  # the lock is free again


def test_stopping_the_embedded_service_is_bounded_by_its_timeout(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thirty writes a minute: the batch's thread waits seconds for each write.
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "1")
    monkeypatch.setenv("PLENTYSYNC_WORKER_BATCH_S", "2")
    reset_worker_settings()
    boxes = start_sandboxes(customers=20)
    budget = ClientSettings(plan=None, read_per_minute=600, write_per_minute=30, budget_share=1.0)
    profile = make_profile(boxes, budget=budget, changes={"schedule": {"process_batch_size": 20}})
    deployment = choose_deployment()
    service = deployment.embedded()
    service.start()
    started = deployment.start_run(profile, RunOptions())
    wait_for(
        lambda: RunBatch.select().where(RunBatch.status == "leased").exists(),
        30,
        "the batch to be leased",
    )
    began = time.monotonic()
    clean = service.stop(timeout=0.3)
    assert time.monotonic() - began < 1.5
    assert not clean  # the throttled batch was still in its thread
    # It gives its customers back after its own deadline; then the lock is free.
    wait_for(lambda: not choose_deployment().serve_running(), 60, "the batch's thread to end")
    assert Run.get_by_id(started.run_id).status == "running"  # nothing lost: it resumes


@pytest.mark.redis
def test_with_redis_the_workers_get_the_run(
    start_sandboxes: Callable[..., Sandboxes], workers: WorkerProcesses, redis_namespace: str
) -> None:
    boxes = start_sandboxes(customers=20)
    profile = make_profile(boxes)
    workers.start(processes=1, threads=2)
    deployment = choose_deployment()
    assert deployment.kind == "redis" and not deployment.serve_running()
    wait_for(lambda: bool(deployment.live_workers()), 30, "a heartbeat", workers.logs)
    started = deployment.start_run(profile, RunOptions())
    assert started.executor == "workers"
    wait_finished(started.run_id, workers)
    assert Run.get_by_id(started.run_id).created == 20


@pytest.mark.redis
def test_the_leader_lock_is_a_redis_lock_that_only_its_holder_renews(
    redis_client: redis.Redis, redis_namespace: str
) -> None:
    key = f"{redis_namespace}:scheduler-leader"
    first = RedisLeadership(redis_client, key, "sched-a", ttl=1)
    second = RedisLeadership(redis_client, key, "sched-b", ttl=1)
    assert first.acquire() and not second.acquire()
    assert redis_client.get(key) == b"sched-a"  # who leads, readable
    for _ in range(3):  # renewed past its TTL, it stays the leader's
        time.sleep(0.5)
        assert first.acquire() and not second.acquire()
    second.release()  # not the holder: nothing happens
    assert redis_client.get(key) == b"sched-a"
    time.sleep(1.3)  # the leader died: its lock runs out and a standby takes over
    assert second.acquire() and not first.acquire()
    second.release()
    assert redis_client.get(key) is None


@pytest.mark.redis
def test_the_login_lease_is_a_redis_lock_per_user(
    redis_client: redis.Redis, redis_namespace: str, on_redis: str
) -> None:
    store = choose_deployment().backends().tokens
    assert isinstance(store, RedisTokenStore)
    assert store.try_lease("erp|api", "worker-a", 0.0, ttl=0.5)
    assert not store.try_lease("erp|api", "worker-b", 0.0, ttl=30)
    key = f"{redis_namespace}:login-lease:erp|api"
    assert redis_client.get(key) == b"worker-a"
    assert store.try_lease("erp|api", "worker-a", 0.0, ttl=30)  # extended by its holder
    assert redis_client.pttl(key) > 10_000
    store.release_lease("erp|api", "worker-a")
    assert redis_client.get(key) is None
    assert json.dumps(store.try_lease("erp|api", "worker-b", 0.0, ttl=1)) == "true"


def test_each_function_local_import_in_the_worker_says_why_and_is_listed() -> None:
    root = Path(__file__).resolve().parents[2]
    listed = (root / "pyproject.toml").read_text()
    for path in sorted((root / "worker").glob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    around = lines[inner.lineno - 2] + lines[inner.lineno - 1]
                    where = f"{path.name}:{inner.lineno}"
                    assert "# reason:" in around, f"{where}: a local import without its reason"
                    assert f"worker/{path.name}" in listed, f"{where}: not in pyproject"


def test_an_export_forced_inline_beside_a_serve_says_they_pace_apart(
    sqlite_db: str, serve_lock_held_elsewhere: None
) -> None:
    from tests.cli.support import invoke

    profile = offline_profile()
    exported = invoke("customer", "export", "--profile", profile.name, "--inline")
    assert "paces its own exports in memory" in exported.output, exported.output
    assert "leave --inline out" in exported.output
