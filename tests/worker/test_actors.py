"""Retries by error class, time limits from batch size and budget, queues by run kind."""

from __future__ import annotations

import json

import pytest
from dramatiq.brokers.stub import StubBroker

from core.clients import client_settings, update_client
from core.errors import (
    AuthError,
    ConfigError,
    DiskFullError,
    InfrastructureError,
    RateLimitedError,
    TransientError,
    WriteTimeoutError,
)
from core.export import runs
from core.profiles.service import parse_settings, profile_settings, save_profile
from tests.worker.offline import offline_profile
from worker.actors import transient_only
from worker.broker import BULK, LIVE
from worker.courier import Courier, DramatiqExecutor
from worker.jobs import batch_time_limit
from worker.settings import reset_worker_settings


def test_only_transient_errors_are_retried() -> None:
    assert transient_only(0, TransientError("502 from PlentyONE"))
    assert transient_only(3, WriteTimeoutError("timed out", method="POST", path="/x"))
    assert not transient_only(8, TransientError("still down"))
    assert transient_only(0, InfrastructureError("Redis restarting", service="redis"))
    final_errors = (ConfigError("no referrer"), AuthError("refused"), ValueError("bug"))
    for final in (*final_errors, DiskFullError("/srv/plentysync.db")):
        assert not transient_only(0, final)
    assert not transient_only(0, RateLimitedError("budget", retry_after=5))


def test_a_message_that_cannot_reach_redis_is_an_outage() -> None:
    from dramatiq.brokers.redis import RedisBroker

    from tests.worker.conftest import free_port

    broker = RedisBroker(url=f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    with pytest.raises(InfrastructureError) as caught:
        Courier(broker).drain(1)
    assert caught.value.service == "redis" and "sending drain_queue" in str(caught.value)


def test_time_limit_follows_batch_size_and_budget(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_WORKER_PROCESSES", "1")
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "1")
    reset_worker_settings()
    profile = offline_profile()  # basic plan: 40 writes a minute, 60 % ours
    run = runs.create_run(profile, "manual", runs.RunOptions())
    base = batch_time_limit(run)
    assert base == pytest.approx(60 + 100 * 6 * 60 / 24)

    document = profile_settings(profile).to_document()
    document["schedule"]["process_batch_size"] = 50
    save_profile(profile, parse_settings(document))
    halved = batch_time_limit(runs.create_run(profile, "manual", runs.RunOptions()))
    assert halved - 60 == pytest.approx((base - 60) / 2)

    settings = client_settings(profile.client).model_copy(update={"plan": "plus"})
    update_client(profile.client, settings=settings)
    faster = batch_time_limit(runs.create_run(profile, "manual", runs.RunOptions()))
    assert faster - 60 == pytest.approx(50 * 6 * 60 / 72)
    reset_worker_settings()


def test_bulk_runs_and_queue_drains_use_separate_queues(sqlite_db: str) -> None:
    profile = offline_profile()
    broker = StubBroker()
    executor = DramatiqExecutor(Courier(broker))
    executor.submit(runs.create_run(profile, "manual", runs.RunOptions()))
    executor.submit(runs.create_run(profile, "queue", runs.RunOptions(queue=True)))
    bulk = [json.loads(broker.queues[BULK].get_nowait())]
    live = [json.loads(broker.queues[LIVE].get_nowait())]
    assert [m["actor_name"] for m in bulk + live] == ["enumerate_run", "enumerate_run"]
    assert bulk[0]["args"] != live[0]["args"]  # run ids only, never the work
    assert all(isinstance(a, int) for m in bulk + live for a in m["args"])
