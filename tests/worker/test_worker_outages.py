"""Worker processes whose PostgreSQL connections are cut mid-run reconnect and finish it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import peewee
import pytest
from playhouse.db_url import connect as connect_url

from core.export.runs import RunOptions
from core.export.service import start_export
from tests.conftest import POSTGRES_URL
from tests.worker.conftest import (
    Sandboxes,
    WorkerProcesses,
    make_profile,
    run_status,
    sweeping,
    wait_for,
)
from tests.worker.test_worker_crashes import BUDGET, CUSTOMERS, LIMITS, _assert_complete, _progress
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment


def _reached(run_id: int, customers: int) -> Callable[[], bool]:
    return lambda: _progress(run_id) >= customers


@pytest.fixture
def admin() -> Iterator[peewee.Database]:
    db = connect_url(POSTGRES_URL)
    db.connect()
    yield db
    db.close()


@pytest.mark.slow  # a fault scenario: worker processes over a budget-paced run
def test_workers_reconnect_after_their_database_connections_were_killed(
    start_sandboxes: Callable[..., Sandboxes],
    workers: WorkerProcesses,
    shared_db: str,
    admin: peewee.Database,
) -> None:
    # Only the workers' connections carry this name, so only they are cut (what a PostgreSQL
    # restart does to every client), never another test's.
    name = f"psworker-{uuid.uuid4().hex[:8]}"
    workers.env["PLENTYSYNC_DATABASE_URL"] = f"{shared_db}&application_name={name}"
    boxes = start_sandboxes(customers=CUSTOMERS, limits=LIMITS)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 20}})
    courier = choose_deployment().courier()
    workers.start(processes=1, threads=4)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(courier).submit(run)

    def cut() -> int:
        rows = admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (name,),
        ).fetchall()
        return len(rows)

    with sweeping(courier):
        for done in (CUSTOMERS // 4, CUSTOMERS // 2):
            wait_for(_reached(run.id, done), 90, "progress", workers.logs)
            assert cut() > 0
        wait_for(lambda: run_status(run.id) != "running", 180, "the run to end", workers.logs)
    _assert_complete(run.id, boxes)
