"""A live enumeration keeps its run's progress fresh, so the sweeper starts no second one."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import pytest
from dramatiq.brokers.stub import StubBroker

from core.db.connection import write_transaction
from core.db.models import Run, utcnow
from core.export import runs
from tests.worker.offline import offline_profile
from worker.broker import BULK
from worker.courier import Courier
from worker.jobs import kept_in_progress
from worker.settings import reset_worker_settings
from worker.sweeper import sweep

LEASE = 0.3


@pytest.fixture
def short_lease(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PLENTYSYNC_WORKER_LEASE_S", str(LEASE))
    reset_worker_settings()
    yield
    reset_worker_settings()


def _enumerating_run() -> int:
    """A started run whose enumeration has not finished, last seen a while ago."""
    run = runs.create_run(offline_profile(), "manual", runs.RunOptions())
    runs.start_run(run.id)
    with write_transaction():
        Run.update(last_progress_at=utcnow() - dt.timedelta(hours=1)).where(
            Run.id == run.id
        ).execute()
    return int(run.id)


def _enumerations_sent(broker: StubBroker) -> int:
    sent = 0
    for name in (BULK, f"{BULK}.DQ"):
        queued = broker.queues.get(name)
        while queued is not None and not queued.empty():
            sent += json.loads(queued.get_nowait())["actor_name"] == "enumerate_run"
    return sent


def _sweep(courier: Courier) -> int:
    grace = dt.timedelta(seconds=LEASE)
    return sweep(courier, grace=grace, stale_after=dt.timedelta(hours=2)).runs_restarted


def test_an_enumeration_longer_than_the_grace_is_not_started_again(
    sqlite_db: str, short_lease: None
) -> None:
    run_id = _enumerating_run()
    broker = StubBroker()
    courier = Courier(broker)
    restarted = 0
    with kept_in_progress(run_id):
        # Reading every contact for the index takes many lease periods under 429s.
        for _ in range(4):
            time.sleep(LEASE)
            restarted += _sweep(courier)
    assert restarted == 0
    assert _enumerations_sent(broker) == 0
    # Its worker gone, the run is quiet again: the sweeper restarts the enumeration.
    time.sleep(LEASE * 1.5)
    assert _sweep(courier) == 1
    assert _enumerations_sent(broker) == 1


def test_without_the_mark_every_sweep_starts_one_more(sqlite_db: str, short_lease: None) -> None:
    run_id = _enumerating_run()
    broker = StubBroker()
    courier = Courier(broker)
    assert sum(_sweep(courier) for _ in range(3)) == 3
    assert _enumerations_sent(broker) == 3
    assert Run.get_by_id(run_id).status == "running"
