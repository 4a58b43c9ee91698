"""The one run listing, a run's detail, its pace, cancelling and the resume facts."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db.connection import write_transaction
from core.db.models import RunItem
from core.errors import ConfigError, InputError
from core.services.runs import (
    RunFilter,
    UnknownRun,
    cancel_run,
    clear_history,
    list_runs,
    resumable,
    run_detail,
    run_summary,
    run_throughput,
)
from tests.core.operations.helpers import add_items, add_run
from tests.worker.offline import offline_profile


def test_one_listing_filters_by_profile_status_trigger_and_error_class(sqlite_db: str) -> None:
    eu, us = offline_profile(name="eu"), offline_profile(name="us")
    ok = add_run(eu, "done")
    failed = add_run(eu, "failed", error="credentials refused")
    partly = add_run(eu, "done", failed=1, total=3, trigger="schedule")
    add_items(partly, "created", "failed", "unchanged")
    other = add_run(us, "done")

    def ids(**wanted: object) -> list[int]:
        return [r.run for r in list_runs(RunFilter(**wanted))]  # type: ignore[arg-type]

    assert ids() == [other.id, partly.id, failed.id, ok.id]
    assert ids(profile="eu") == [partly.id, failed.id, ok.id]
    assert ids(profile=us.id) == [other.id]
    assert ids(profile="eu", status="error") == [partly.id, failed.id]
    assert ids(trigger="schedule") == [partly.id]
    assert ids(error_class="DataError") == [partly.id]
    assert ids(limit=2) == [other.id, partly.id]
    with pytest.raises(ConfigError, match="no run status 'bogus'"):
        list_runs(RunFilter(status="bogus"))
    with pytest.raises(InputError):
        list_runs(RunFilter(limit=0))


def test_a_run_detail_opens_with_its_errors_and_counts_them_per_class(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "done", total=4, created=1, failed=2, peak_memory_kb=2048)
    add_items(run, "created", "failed", "unchanged", "failed")
    with write_transaction():
        RunItem.update(seconds=0.25).where(RunItem.run == run.id).execute()

    detail = run_detail(run.id)

    assert [i.action for i in detail.items] == ["failed", "failed", "created", "unchanged"]
    assert detail.items[0].reason == "no country" and detail.items[0].seconds == 0.25
    assert detail.items[0].entity == "customer:2"
    assert detail.error_classes == {"DataError": 2}
    assert detail.peak_memory_kb == 2048
    assert detail.summary.failed == 2 and detail.summary.seconds == 30.0
    assert len(run_detail(run.id, limit=1).items) == 1


def test_an_unknown_run_is_an_input_error_naming_it(sqlite_db: str) -> None:
    with pytest.raises(UnknownRun, match="no run 99") as caught:
        run_detail(99)
    assert caught.value.run_id == 99


def test_throughput_is_customers_and_calls_per_minute(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "done", total=60, created=40, unchanged=20, api_writes=30)
    pace = run_throughput(run.id)
    assert pace.customers_done == 60 and pace.elapsed_seconds == 30.0
    assert pace.customers_per_minute == 120.0 and pace.writes_per_minute == 60.0
    waiting = add_run(offline_profile(name="us"), "pending", started_at=None)
    assert run_throughput(waiting.id).customers_per_minute is None


def test_an_open_run_is_cancelled_once(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "running")
    assert cancel_run(run.id).status == "cancelled"
    with pytest.raises(ConfigError, match="is cancelled, not open"):
        cancel_run(run.id)


def test_resume_facts_say_how_a_run_goes_on(sqlite_db: str) -> None:
    profile = offline_profile()
    stale = add_run(profile, "stale")
    done = add_run(profile, "done")
    gone = add_run(
        profile,
        "running",
        owner_host="elsewhere",
        owner_pid=1,
        heartbeat_at=dt.datetime(2020, 1, 1),
    )
    assert resumable(stale.id).how == "workers"
    assert resumable(done.id).how == "no" and "only stale" in resumable(done.id).reason
    facts = resumable(gone.id)
    assert facts.how == "inline" and facts.owner_state == "gone"
    assert run_summary(gone.id).owner is not None and "is gone" in (facts.owner or "")


def test_history_is_cleared_of_old_finished_runs_only(sqlite_db: str) -> None:
    profile = offline_profile()
    add_run(profile, "done", age=dt.timedelta(days=40))
    add_run(profile, "running", age=dt.timedelta(days=40))
    assert clear_history(dt.timedelta(days=30)).runs == 1
    assert [r.status for r in list_runs()] == ["running"]
    with pytest.raises(InputError):
        clear_history(dt.timedelta(days=-1))
