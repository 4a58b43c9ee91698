"""Status and health: stale runs, dead inline runs, old pending items, missing workers, budgets."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time

from core.db.models import Client, utcnow
from core.operations.budget import budget_left
from core.operations.health import collect_status, safe_database_url
from core.operations.settings import HealthSettings
from core.plenty import DatabaseBudgetBackend, Governor, PlentyConfig, SystemClock
from core.secrets import Secret
from core.settings import get_settings
from tests.core.operations.helpers import add_batch, add_pending, add_run
from tests.worker.offline import offline_profile

HEALTH = HealthSettings(oldest_pending_s=600, stale_after_s=1800)


def _status(workers: list[str] | None = None):  # type: ignore[no-untyped-def]
    return collect_status(
        get_settings(),
        HEALTH,
        mode="single-host",
        workers=["w1"] if workers is None else workers,
        budget_reader=None,
    )


def test_quiet_service_is_healthy_and_reports_progress(sqlite_db: str) -> None:
    profile = offline_profile()
    done = add_run(profile, "done", age=dt.timedelta(hours=2))
    current = add_run(profile, "running")
    add_batch(current, 1, "done")
    add_batch(current, 2, "leased")
    add_pending(profile, "7", dt.timedelta(minutes=2))

    status = _status()

    assert status.healthy, status.problems
    row = status.profiles[0]
    assert row["last_success"] == done.finished_at
    assert row["current_run"]["id"] == current.id
    assert (row["current_run"]["batches_done"], row["current_run"]["batches"]) == (1, 2)
    assert row["queue_depth"] == 1
    assert 100 < row["oldest_pending_age_s"] < 600
    assert status.database.startswith("sqlite:///")


def test_stale_run_is_unhealthy(sqlite_db: str) -> None:
    profile = offline_profile()
    marked = add_run(profile, "stale")
    silent = add_run(profile, "running", age=dt.timedelta(hours=1))
    status = _status()
    assert not status.healthy
    assert {p.key for p in status.problems} == {f"stale-run:{marked.id}", f"stale-run:{silent.id}"}


def test_old_pending_item_is_unhealthy_unless_paused(sqlite_db: str) -> None:
    profile = offline_profile()
    add_pending(profile, "1", dt.timedelta(minutes=20))
    assert [p.key for p in _status().problems] == [f"old-pending:{profile.id}"]
    profile.paused = True
    profile.save()
    assert _status().healthy


def test_waiting_work_without_a_worker_is_unhealthy(sqlite_db: str) -> None:
    profile = offline_profile()
    assert _status(workers=[]).healthy  # nothing waits: no worker needed
    add_pending(profile, "1", dt.timedelta(seconds=5))
    assert [p.key for p in _status(workers=[]).problems] == ["no-worker"]
    assert _status(workers=["host:1"]).healthy


def test_an_open_inline_run_whose_process_is_gone_is_unhealthy(sqlite_db: str) -> None:
    profile = offline_profile()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host = socket.gethostname()
    dead = add_run(profile, "running", owner_host=host, owner_pid=ended.pid, heartbeat_at=utcnow())
    status = _status()
    assert [p.key for p in status.problems] == [f"dead-owner:{dead.id}"]
    assert f"'plentysync run resume {dead.id}'" in status.problems[0].message
    assert status.profiles[0]["current_run"]["owner_state"] == "gone"


def test_an_inline_run_being_worked_needs_no_worker(sqlite_db: str) -> None:
    profile = offline_profile()
    host = socket.gethostname()
    add_run(profile, "running", owner_host=host, owner_pid=os.getpid(), heartbeat_at=utcnow())
    assert _status(workers=[]).healthy


def test_budget_left_follows_the_shared_state(sqlite_db: str) -> None:
    profile = offline_profile()
    client = Client.get_by_id(profile.client_id)
    backend = DatabaseBudgetBackend()
    full = budget_left(client, backend)
    assert full["read_per_minute"] > 3 and full["write_per_day"] > 3

    config = PlentyConfig(
        base_url=client.base_url, username=client.username, password=Secret("x"), share=0.6
    )
    governor = Governor(config, backend, SystemClock())
    for _ in range(3):
        backend.reserve(governor.slots_for("GET", "/rest/accounts/contacts"), time.time(), 0)
    after = budget_left(client, backend)
    assert full["read_per_minute"] - 3 <= after["read_per_minute"] < full["read_per_minute"]
    assert after["read_per_day"] == full["read_per_day"] - 3
    assert after["write_per_minute"] == full["write_per_minute"]

    status = collect_status(
        get_settings(), HEALTH, mode="single-host", workers=["w"], budget_reader=backend
    )
    assert status.budgets == [{"client": client.name, **budget_left(client, backend)}]


def test_database_password_is_never_shown() -> None:
    url = safe_database_url("postgresql://sync:s3cret@db.local:5432/plentysync")
    assert url == "postgresql://sync:***@db.local:5432/plentysync"
