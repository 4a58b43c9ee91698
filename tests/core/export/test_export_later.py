"""Kinds of "later": a shop's 429 makes the batch wait for free, a 503 parks it for an attempt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx

from core.db.models import Profile, Run, RunBatch, RunItem, utcnow
from core.export import runs
from core.export.batch import export_batch
from core.export.deps import ExportDeps
from core.export.inline import execute_inline, prepare
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from tests.core.export.conftest import FAST, Shop

KEYS = [str(k) for k in range(1, 11)]


def _magento_faults(shop: Shop, **faults: Any) -> None:
    answer = httpx.post(f"{shop.magento.base_url}/_sandbox/config", json={"faults": faults})
    answer.raise_for_status()


def _work_once(deps: ExportDeps, batch_id: int) -> tuple[str, float, RunBatch]:
    leased = runs.lease_batch(batch_id, deps.owner)
    assert leased is not None and leased.attempts == 1
    result = export_batch(deps, leased)
    return result.status, result.retry_after, RunBatch.get_by_id(batch_id)


def test_a_magento_429_makes_the_batch_wait_without_spending_an_attempt(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile({"schedule": {"process_batch_size": 10}})
    run = start_export(profile, RunOptions(entity_ids=[int(k) for k in KEYS]))
    runs.start_run(run.id)
    deps = open_deps(run, **FAST)
    try:
        prepare(deps, Run.get_by_id(run.id))
        (batch,) = RunBatch.select().where(RunBatch.run == run.id)
        # Longer than the client sleeps through, so the first 429 reaches the batch.
        _magento_faults(shop, throttle_rate=1.0, throttle_status=429, retry_after_seconds=600)

        status, wait, back = _work_once(deps, batch.id)

        assert (status, wait) == ("waiting", 600.0)
        assert back.status == "pending" and back.attempts == 0
        assert back.entity_keys == KEYS
        assert back.not_before is not None
        assert back.not_before - utcnow() > dt.timedelta(seconds=590)
        assert RunItem.select().where(RunItem.run == run.id).count() == 0

        # The same refusal as a 503 is a transient failure: the batch is parked for an attempt.
        RunBatch.update(not_before=None).where(RunBatch.id == batch.id).execute()
        _magento_faults(shop, throttle_rate=1.0, throttle_status=503, retry_after_seconds=600)

        status, _, back = _work_once(deps, batch.id)

        assert status == "parked" and back.status == "pending" and back.attempts == 1

        _magento_faults(shop, throttle_rate=0.0)
        RunBatch.update(not_before=None).where(RunBatch.id == batch.id).execute()
        finished = execute_inline(deps, run.id)
    finally:
        close_deps(deps)
    assert finished.status == "done" and finished.total == len(KEYS)
    assert finished.created + finished.failed == len(KEYS)
