"""Worker processes on the real Redis broker against both sandboxes over HTTP."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

import pytest

from core.clients import ClientSettings
from core.db.models import CustomerLink, Run
from core.export.runs import RunOptions
from core.export.service import start_export
from sandbox.plenty import RateLimits
from tests.worker.conftest import Sandboxes, WorkerProcesses, make_profile, wait_finished
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment

# The figure is 3,000, a slow proof that the sharing holds over many budget periods;
# 300 show the same sharing (one login, no 429, no duplicate) in a tenth of the time.
CUSTOMERS = int(os.environ.get("PLENTYSYNC_TEST_WORKER_CUSTOMERS", "3000"))
SHARING = 300
# Per 5-second sandbox period: low enough that the budget, not the CPU, sets the pace.
LIMITS = RateLimits(
    short_read=600, short_write=400, long_read=10**7, long_write=10**7, short_period_s=5
)
BUDGET = ClientSettings(plan=None, read_per_minute=600, write_per_minute=400, budget_share=0.8)


def assert_no_duplicates(boxes: Sandboxes) -> None:
    stats = boxes.stats()
    assert stats["duplicate_contacts_by_external_id"] == 0
    contacts = boxes.contacts()
    per_contact = Counter(
        (c["id"], a["pivot"]["typeId"], a["id"]) for c in contacts for a in c.get("addresses", [])
    )
    assert not [k for k, n in per_contact.items() if n > 1], "an address attached twice"


@pytest.mark.timeout(900)
@pytest.mark.parametrize(
    "customers", [SHARING, pytest.param(CUSTOMERS, marks=pytest.mark.slow, id="issue-figure")]
)
def test_two_worker_processes_share_one_budget_and_one_session(
    start_sandboxes: Callable[..., Sandboxes],
    workers: WorkerProcesses,
    redis_namespace: str,
    customers: int,
) -> None:
    boxes = start_sandboxes(customers=customers, limits=LIMITS)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 50}})
    logins_before = boxes.stats()["sessions"]["logins"]  # setting up the profile logged in
    workers.start(processes=1, threads=4)
    workers.start(processes=1, threads=4)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(choose_deployment().courier()).submit(run)

    wait_finished(run.id, workers, timeout=60 + customers * 0.25)
    finished = Run.get_by_id(run.id)
    stats = boxes.stats()
    assert finished.finished_at and finished.started_at
    seconds = (finished.finished_at - finished.started_at).total_seconds()
    print(f"\n{customers} customers in {seconds:.1f} s; calls {stats['calls']['by_method']}")
    assert finished.status == "done", finished.error
    assert finished.peak_memory_kb > 10_000  # the workers' peak, kept after each batch
    assert stats["calls"]["rate_limited"] == 0
    assert stats["sessions"]["logins"] - logins_before == 1
    assert finished.created + finished.failed == customers
    assert finished.failed < customers * 0.1  # the dataset's deliberately dirty records
    linked = CustomerLink.select().where(CustomerLink.state == "linked").count()
    assert linked == finished.created == stats["contacts"]
    assert_no_duplicates(boxes)
