"""Run history: filters, errors first, clearing and the retention."""

from __future__ import annotations

import datetime as dt

from core.db.models import Run, RunItem
from core.operations.history import (
    apply_retention,
    clear_history,
    list_runs,
    outcomes_of,
    run_items,
)
from tests.core.operations.helpers import add_items, add_run
from tests.worker.offline import offline_profile


def test_history_filters_by_profile_status_and_limit(sqlite_db: str) -> None:
    eu = offline_profile(name="eu")
    us = offline_profile(name="us")
    ok = add_run(eu, "done")
    failed = add_run(eu, "failed", error="credentials refused")
    partly = add_run(eu, "done", failed=3, total=10)
    other = add_run(us, "done")

    assert [r.id for r in list_runs(eu.id)] == [partly.id, failed.id, ok.id]
    assert [r.id for r in list_runs(None)] == [other.id, partly.id, failed.id, ok.id]
    assert [r.id for r in list_runs(eu.id, status="failed")] == [failed.id]
    assert [r.id for r in list_runs(eu.id, status="error")] == [partly.id, failed.id]
    assert [r.id for r in list_runs(eu.id, limit=1)] == [partly.id]


def test_run_items_come_errors_first(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "done")
    add_items(run, "created", "unchanged", "failed", "conflict", "updated", "failed")
    actions = [item.action for item in run_items(run.id)]
    assert actions == ["failed", "failed", "conflict", "created", "updated", "unchanged"]
    assert run_items(run.id, limit=2)[0].message == "no country"


def test_the_outcomes_of_chosen_customers_add_up_to_them(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "done")
    add_items(run, "updated", "unchanged", "updated", "failed", "created")  # customers 1-5
    outcomes = outcomes_of(run.id, {"1", "2", "3", "4", "9"})
    assert outcomes == {"updated": 2, "unchanged": 1, "failed": 1, "not recorded": 1}
    assert outcomes.total() == 5


def test_clear_removes_old_finished_runs_only(sqlite_db: str) -> None:
    profile = offline_profile()
    old = add_run(profile, "done", age=dt.timedelta(days=40))
    add_items(old, "created", "failed")
    old_open = add_run(profile, "running", age=dt.timedelta(days=40))
    recent = add_run(profile, "failed", age=dt.timedelta(days=2))

    cleared = clear_history(dt.timedelta(days=30))

    assert (cleared.runs, cleared.items) == (1, 2)
    assert {r.id for r in Run.select()} == {old_open.id, recent.id}
    assert RunItem.select().count() == 0


def test_retention_applies_configured_days_and_zero_keeps_everything(sqlite_db: str) -> None:
    profile = offline_profile()
    add_run(profile, "done", age=dt.timedelta(days=100))
    add_run(profile, "done", age=dt.timedelta(days=10))
    assert apply_retention(0).runs == 0
    assert Run.select().count() == 2
    assert apply_retention(90).runs == 1
    assert Run.select().count() == 1
