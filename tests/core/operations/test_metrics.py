"""The database readings behind the metrics."""

from __future__ import annotations

import datetime as dt

from core.operations.metrics import database_readings
from tests.core.operations.helpers import add_pending, add_run
from tests.worker.offline import offline_profile


def test_readings_count_customers_calls_queue_and_durations(sqlite_db: str) -> None:
    profile = offline_profile(name="eu")
    add_run(profile, "done", total=5, created=3, updated=1, failed=1, api_reads=7, api_writes=4)
    add_run(profile, "done", total=2, created=2, api_reads=1, api_writes=2)
    add_pending(profile, "1", dt.timedelta(minutes=3))
    add_pending(profile, "2", dt.timedelta(minutes=1))

    readings = {r.name: r for r in database_readings()}

    customers = readings["plentysync_customers_exported"].samples
    assert customers[("eu", "created")] == 5
    assert customers[("eu", "failed")] == 1
    assert customers[("eu", "conflict")] == 0
    assert readings["plentysync_api_calls"].samples == {("eu", "read"): 8, ("eu", "write"): 6}
    assert readings["plentysync_runs"].samples == {("eu", "done"): 2}
    assert readings["plentysync_queue_depth"].samples == {("eu", "pending"): 2}
    assert 170 < readings["plentysync_queue_oldest_due_seconds"].samples[("eu",)] < 300
    count, total = readings["plentysync_run_duration_seconds"].summaries[("eu",)]
    assert (count, total) == (2, 60.0)
    assert "plentysync_budget_left" not in readings  # only with a budget reader
