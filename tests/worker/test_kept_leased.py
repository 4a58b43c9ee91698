"""A worker keeps its batch's lease fresh from a thread while it works, and rides out a
database that is away for a moment."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest

from core.db.models import RunBatch
from core.errors import InfrastructureError
from core.export import runs
from tests.core.operations.helpers import add_batch, add_run
from tests.worker.offline import offline_profile
from worker.jobs import kept_leased
from worker.settings import reset_worker_settings


@pytest.fixture
def short_lease(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setenv("PLENTYSYNC_WORKER_LEASE_S", "0.3")
    reset_worker_settings()
    yield 0.3  # type: ignore[misc]
    reset_worker_settings()


def _leased_batch() -> int:
    run = add_run(offline_profile(), "running")
    add_batch(run, 1)
    batch = RunBatch.get(RunBatch.run == run.id)
    assert runs.lease_batch(batch.id, "w1", dt.timedelta(seconds=0.3)) is not None
    return int(batch.id)


def _expires(batch_id: int) -> dt.datetime:
    return RunBatch.get_by_id(batch_id).lease_expires_at  # type: ignore[no-any-return]


def test_the_lease_is_renewed_while_the_block_works(sqlite_db: str, short_lease: float) -> None:
    batch_id = _leased_batch()
    first = _expires(batch_id)
    with kept_leased(batch_id, "w1"):
        time.sleep(short_lease * 2)
        renewed = _expires(batch_id)
    assert renewed > first
    after = _expires(batch_id)
    time.sleep(short_lease)
    assert _expires(batch_id) == after  # no renewal once the block is left


def test_a_database_error_is_logged_and_the_next_renewal_tries_again(
    sqlite_db: str,
    short_lease: float,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    batch_id = _leased_batch()
    real = runs.renew_lease
    calls: list[int] = []

    def flaky(batch: int, owner: str, ttl: dt.timedelta) -> bool:
        calls.append(batch)
        if len(calls) == 1:
            raise InfrastructureError("database away", service="database")
        return real(batch, owner, ttl)

    monkeypatch.setattr(runs, "renew_lease", flaky)
    first = _expires(batch_id)
    with caplog.at_level(logging.WARNING, logger="worker.jobs"), kept_leased(batch_id, "w1"):
        deadline = time.monotonic() + 5
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(calls) >= 3
    assert f"batch {batch_id}: lease not renewed: database away" in caplog.text
    assert _expires(batch_id) > first


def test_renewal_stops_once_the_lease_is_someone_elses(
    sqlite_db: str, short_lease: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = _leased_batch()
    real = runs.renew_lease
    calls: list[int] = []

    def counted(batch: int, owner: str, ttl: dt.timedelta) -> bool:
        calls.append(batch)
        return real(batch, owner, ttl)

    monkeypatch.setattr(runs, "renew_lease", counted)
    with kept_leased(batch_id, "w2"):  # not the owner: the first renewal finds nothing
        time.sleep(short_lease * 2)
    assert calls == [batch_id]
