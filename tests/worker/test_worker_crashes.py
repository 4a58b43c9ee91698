"""A worker killed mid-run and a Redis that lost everything: the run still completes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.clients import ClientSettings
from core.db.models import CustomerLink, Run, RunItem
from core.export.runs import RunOptions
from core.export.service import start_export
from sandbox.plenty import RateLimits
from tests.worker.conftest import (
    PrivateRedis,
    Sandboxes,
    WorkerProcesses,
    make_profile,
    run_status,
    sweeping,
    wait_for,
)
from tests.worker.test_workers_e2e import assert_no_duplicates
from worker.broker import redis_broker
from worker.courier import Courier, DramatiqExecutor
from worker.deployment import choose_deployment
from worker.settings import get_worker_settings

# Fault scenarios with worker processes over a budget-paced run: heavy proofs.
pytestmark = pytest.mark.slow

CUSTOMERS = 300
# Slow enough (about 40 writes a second) that the run is still going when the test strikes.
LIMITS = RateLimits(
    short_read=400, short_write=250, long_read=10**7, long_write=10**7, short_period_s=5
)
BUDGET = ClientSettings(plan=None, read_per_minute=400, write_per_minute=250, budget_share=0.8)


def _progress(run_id: int) -> int:
    run = Run.get_by_id(run_id)
    return int(run.created + run.failed + run.unchanged + run.updated + run.skipped)


def _assert_complete(run_id: int, boxes: Sandboxes) -> None:
    run = Run.get_by_id(run_id)
    assert run.status == "done", run.error
    linked = {
        link.entity_key for link in CustomerLink.select().where(CustomerLink.state == "linked")
    }
    assert CustomerLink.select().where(CustomerLink.state == "creating").count() == 0
    assert len(linked) == boxes.stats()["contacts"]
    # Every customer either has its contact or was refused for its dirty data.
    failed = CUSTOMERS - len(linked)
    assert failed < CUSTOMERS * 0.1
    assert_no_duplicates(boxes)
    # One result per customer, and the counts are the PlentyONE sandbox's own truth.
    items = RunItem.select().where(RunItem.run == run_id)
    assert items.count() == len({i.entity_key for i in items}) == CUSTOMERS
    assert run.created == boxes.stats()["contacts"] and run.failed == failed


def test_worker_killed_mid_run_then_restarted(
    start_sandboxes: Callable[..., Sandboxes], workers: WorkerProcesses
) -> None:
    boxes = start_sandboxes(customers=CUSTOMERS, limits=LIMITS)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 20}})
    courier = choose_deployment().courier()
    first = workers.start(processes=1, threads=4)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(courier).submit(run)
    wait_for(lambda: _progress(run.id) >= CUSTOMERS // 4, 60, "progress", workers.logs)
    workers.kill(first)
    stalled = _progress(run.id)
    assert run_status(run.id) == "running" and stalled < CUSTOMERS

    workers.start(processes=1, threads=4)
    with sweeping(courier):
        wait_for(lambda: run_status(run.id) != "running", 120, "the run to end", workers.logs)
    _assert_complete(run.id, boxes)


def test_redis_wiped_mid_run_sweeper_resends(
    start_sandboxes: Callable[..., Sandboxes],
    workers: WorkerProcesses,
    private_redis: PrivateRedis,
) -> None:
    workers.env["PLENTYSYNC_REDIS_URL"] = private_redis.url
    boxes = start_sandboxes(customers=CUSTOMERS, limits=LIMITS)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 20}})
    courier = Courier(redis_broker(private_redis.url, get_worker_settings().redis_namespace))
    workers.start(processes=1, threads=4)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(courier).submit(run)
    with sweeping(courier):
        wait_for(lambda: _progress(run.id) >= CUSTOMERS // 4, 60, "progress", workers.logs)
        private_redis.stop()  # every message, the budget and the token are gone
        private_redis.start()
        wait_for(lambda: run_status(run.id) != "running", 120, "the run to end", workers.logs)
    _assert_complete(run.id, boxes)
