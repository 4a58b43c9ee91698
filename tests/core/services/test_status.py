"""The service status as frozen values, the same figures ``status --json`` always printed."""

from __future__ import annotations

import datetime as dt

from core.operations.health import collect_status
from core.operations.settings import HealthSettings
from core.services.status import status
from core.settings import get_settings
from tests.core.operations.helpers import add_pending, add_run
from tests.worker.offline import offline_profile


def test_status_rows_are_typed_and_print_as_before(sqlite_db: str) -> None:
    profile = offline_profile(name="eu")
    stale = add_run(profile, "stale")
    add_pending(profile, "1", dt.timedelta(hours=3))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    found = status(workers=[], budget_reader=None, mode="single-host", now=now)

    [row] = found.profiles
    assert row.name == "eu" and row.stale_runs == (stale.id,) and row.queue_depth == 1
    assert row.current_run is not None and row.current_run.id == stale.id
    assert not found.healthy
    assert {p.key for p in found.problems} >= {f"stale-run:{stale.id}", "no-worker"}
    before = collect_status(
        get_settings(),
        HealthSettings(),
        mode="single-host",
        workers=[],
        budget_reader=None,
        now=now,
    )
    assert found.to_dict() == {
        "healthy": False,
        "problems": [{"key": p.key, "message": p.message} for p in before.problems],
        "mode": "single-host",
        "data_directory": before.data_directory,
        "database": before.database,
        "live_workers": [],
        "profiles": before.profiles,
        "budgets": before.budgets,
    }
