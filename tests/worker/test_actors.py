"""Retries by error class, queues by run kind."""

from __future__ import annotations

import json

import pytest
from dramatiq.brokers.stub import StubBroker

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
from tests.worker.offline import offline_profile
from worker.broker import BULK, LIVE
from worker.courier import Courier, DramatiqExecutor
from worker.routes import transient_only


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
