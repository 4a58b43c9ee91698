"""The operations commands as a sysadmin runs them: history, status, pause, key rotation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.clients import client_password
from core.db.connection import write_transaction
from core.db.models import Client, Profile, Run, RunItem
from core.profiles.service import profile_settings
from tests.cli.support import in_process
from tests.core.operations.helpers import add_items, add_pending, add_run
from tests.worker.offline import offline_profile


def test_history_lists_filters_shows_and_clears(sqlite_db: str, plentysync_home: Path) -> None:
    profile = offline_profile()
    ok = add_run(profile, "done", total=2, created=2)
    bad = add_run(
        profile,
        "done",
        total=3,
        created=1,
        failed=2,
        age=dt.timedelta(days=40),
        peak_memory_kb=83_968,
    )
    add_items(bad, "created", "failed", "failed")
    with write_transaction():
        RunItem.update(message="no country", seconds=0.25).where(
            (RunItem.run == bad.id) & (RunItem.entity_key == "2")
        ).execute()

    listed = in_process(plentysync_home, "history", "--profile-id", "eu", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["run"] for r in json.loads(listed.stdout)] == [bad.id, ok.id]
    errors = in_process(plentysync_home, "history", "--profile-id", "eu", "--status", "error")
    runs_listed = [line.split()[0] for line in errors.stdout.splitlines()[2:]]
    assert runs_listed == [str(bad.id)]

    shown = in_process(plentysync_home, "history", "show", str(bad.id))
    lines = [line.split() for line in shown.stdout.splitlines() if "customer:" in line]
    assert [words[1] for words in lines] == ["failed", "failed", "created"]
    assert "peak memory: 82.0 MiB" in shown.stdout
    assert lines[0][2:] == ["0.25", "s", "no", "country"]
    assert lines[1][2:] == ["no", "country"]  # kept before results were timed
    assert "DataError" not in shown.stdout
    document = json.loads(
        in_process(plentysync_home, "history", "show", str(bad.id), "--json").stdout
    )
    assert document["peak_memory_kb"] == 83_968
    assert [(i["reason"], i["seconds"]) for i in document["items"]][:2] == [
        ("no country", 0.25),
        ("no country", None),
    ]

    cleared = in_process(plentysync_home, "history", "clear", "--older-than", "30")
    assert "removed 1 runs with 3 customer results" in cleared.stdout
    assert [r.id for r in Run.select()] == [ok.id]


def test_status_exit_code_turns_on_stale_run_and_old_pending_item(
    sqlite_db: str, plentysync_home: Path
) -> None:
    profile = offline_profile()
    add_run(profile, "done")
    healthy = in_process(plentysync_home, "status")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "healthy" in healthy.stdout and "last success" in healthy.stdout

    stale = add_run(profile, "stale")
    red = in_process(plentysync_home, "status", "--json")
    assert red.returncode == 1
    report = json.loads(red.stdout)
    assert report["healthy"] is False and report["mode"] == "single-host"
    assert [p["key"] for p in report["problems"]] == [f"stale-run:{stale.id}"]
    assert report["profiles"][0]["stale_runs"] == [stale.id]

    Run.update(status="cancelled").where(Run.id == stale.id).execute()
    add_pending(profile, "9", dt.timedelta(hours=2))
    waiting = in_process(plentysync_home, "status", "--json")
    assert waiting.returncode == 1
    keys = {p["key"] for p in json.loads(waiting.stdout)["problems"]}
    assert keys == {f"old-pending:{profile.id}", "no-worker"}


def test_pause_resume_and_schedule_switches(sqlite_db: str, plentysync_home: Path) -> None:
    profile = offline_profile()
    assert in_process(plentysync_home, "profile", "pause", "eu").returncode == 0
    assert Profile.get_by_id(profile.id).paused
    assert in_process(plentysync_home, "profile", "resume", str(profile.id)).returncode == 0
    assert not Profile.get_by_id(profile.id).paused

    off = in_process(plentysync_home, "profile", "schedule", "disable", "eu")
    assert off.returncode == 0, off.stderr
    assert profile_settings(Profile.get_by_id(profile.id)).schedule.status is False
    assert in_process(plentysync_home, "profile", "schedule", "enable", "eu").returncode == 0
    assert profile_settings(Profile.get_by_id(profile.id)).schedule.status is True


def test_rotate_key_leaves_secrets_readable(sqlite_db: str, plentysync_home: Path) -> None:
    offline_profile()
    key_file = plentysync_home / "secret.key"
    old = key_file.read_text()
    rotated = in_process(plentysync_home, "secrets", "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    assert "re-encrypted 1 client passwords, 1 source credentials" in rotated.stdout
    assert key_file.read_text() != old
    assert client_password(Client.get()).reveal() == "secret"


def test_commands_write_a_private_log_file(sqlite_db: str, plentysync_home: Path) -> None:
    offline_profile()
    result = in_process(plentysync_home, "status", "--json")
    assert result.returncode == 0
    log_file = plentysync_home / "logs" / "plentysync.log"
    assert log_file.exists() and log_file.stat().st_mode & 0o777 == 0o600
