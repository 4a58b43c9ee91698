"""A guardrail pauses a run the workers share; ``run resume`` sends its kept batches again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.db.models import Run, RunBatch
from core.export.runs import RunOptions
from core.export.service import start_export
from tests.worker.conftest import Sandboxes, WorkerProcesses, make_profile, wait_finished
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment
from worker.jobs import resume_run

CUSTOMERS = 20


@pytest.mark.redis
@pytest.mark.timeout(300)
def test_workers_pause_at_the_creation_cap_and_go_on_after_a_resume(
    start_sandboxes: Callable[..., Sandboxes], workers: WorkerProcesses
) -> None:
    boxes = start_sandboxes(customers=CUSTOMERS)
    profile = make_profile(
        boxes, changes={"schedule": {"process_batch_size": 4}, "guard": {"max_creates": 8}}
    )
    # One thread: the batches in flight when the run pauses are the one that paused it.
    workers.start(processes=1, threads=1)
    courier = choose_deployment().courier()
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(courier).submit(run)

    wait_finished(run.id, workers, timeout=90)
    paused = Run.get_by_id(run.id)
    assert paused.status == "paused", paused.error
    assert "would create more than 8 contacts" in paused.pause_reason
    assert paused.created <= 8 and boxes.stats()["contacts"] == paused.created
    kept = RunBatch.select().where((RunBatch.run == run.id) & (RunBatch.status == "pending"))
    assert kept.count() > 0

    assert resume_run(run.id, courier)
    wait_finished(run.id, workers, timeout=90)
    done = Run.get_by_id(run.id)
    assert done.status == "done", done.error
    assert done.total == CUSTOMERS and done.created > 8
    assert boxes.stats()["duplicate_contacts_by_external_id"] == 0
