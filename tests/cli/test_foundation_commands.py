"""The command line as a sysadmin uses it: its commands over a real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.db.migrations import HEAD
from tests.cli.support import in_process


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _add_client_and_source(home: Path) -> None:
    r = in_process(
        home,
        "client",
        "add",
        "--name",
        "erp",
        "--url",
        "http://127.0.0.1:1",
        "--username",
        "api",
        "--plan",
        "classic",
        "--blackout",
        "01:00-03:00@Europe/Berlin",
        env={"PLENTYSYNC_CLIENT_PASSWORD": "Sup3r-Secret-PW"},
    )
    assert r.returncode == 0, r.stderr
    assert "NEW DATABASE" in r.stderr
    r = in_process(
        home,
        "source",
        "add",
        "--name",
        "shop",
        "--namespace",
        "shop-eu",
        "--url",
        "http://127.0.0.1:2",
        "--auth",
        "oauth1",
        env={
            "PLENTYSYNC_SOURCE_CONSUMER_KEY": "ck-Secret-1",
            "PLENTYSYNC_SOURCE_CONSUMER_SECRET": "cs-Secret-2",
            "PLENTYSYNC_SOURCE_ACCESS_TOKEN": "at-Secret-3",
            "PLENTYSYNC_SOURCE_ACCESS_TOKEN_SECRET": "ats-Secret-4",
        },
    )
    assert r.returncode == 0, r.stderr


def test_profile_round_trip_through_the_command_line(home: Path, tmp_path: Path) -> None:
    _add_client_and_source(home)
    r = in_process(
        home,
        "profile",
        "create",
        "--name",
        "eu",
        "--client",
        "erp",
        "--source",
        "shop",
        "--set",
        "schedule.process_batch_size=50",
        "--set",
        'customer.gender_mapping=[{"prefix":"Herr","gender":"male"}]',
        "--set",
        "store.referrer_id=1",
    )
    assert r.returncode == 0, r.stderr
    assert "runnable: no" in r.stdout and "schedule.schedule_id" in r.stdout
    info = in_process(home, "profile", "info", "eu", "--json")
    document = json.loads(info.stdout)
    assert document["settings"]["schedule"]["process_batch_size"] == 50
    assert "store.store_mapping: map at least one store" in document["runnable_problems"]

    exported = tmp_path / "eu.json"
    assert in_process(home, "profile", "export-config", "eu", "-o", str(exported)).returncode == 0
    assert oct(exported.stat().st_mode & 0o777) == "0o600"
    assert in_process(home, "profile", "remove", "eu", "--yes").returncode == 0
    r = in_process(home, "profile", "import-config", str(exported))
    assert r.returncode == 0, r.stderr
    again = tmp_path / "again.json"
    in_process(home, "profile", "export-config", "eu", "-o", str(again))
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("schedule.process_batch_size=0", "schedule.process_batch_size: must be at least 1"),
        ("http_api.api_behaviour=mirror", "http_api.api_behaviour: got 'mirror'"),
        (
            'customer.address_field_mapping=[{"magento_field":"firstname","plenty_field":"name2"}]',
            "address_field_mapping must map the required fields",
        ),
        ("schedule.no_such=1", "schedule.no_such: no such setting"),
    ],
)
def test_bad_values_get_one_line_naming_the_field(
    home: Path, assignment: str, expected: str
) -> None:
    _add_client_and_source(home)
    r = in_process(
        home,
        "profile",
        "create",
        "--name",
        "x",
        "--client",
        "erp",
        "--source",
        "shop",
        "--set",
        assignment,
    )
    assert r.returncode == 2
    assert expected in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_references_are_one_line_errors(home: Path) -> None:
    r = in_process(home, "profile", "info", "99")
    assert r.returncode == 2 and "no profile '99'" in r.stderr and "Traceback" not in r.stderr
    r = in_process(
        home,
        "client",
        "add",
        "--name",
        "x",
        "--url",
        "u",
        "--username",
        "u",
        "--plan",
        "gold",
        env={"PLENTYSYNC_CLIENT_PASSWORD": "p"},
    )
    assert r.returncode == 2 and "plan" in r.stderr and "Traceback" not in r.stderr


def test_the_database_never_holds_a_secret_in_clear(home: Path) -> None:
    _add_client_and_source(home)
    shown = (
        in_process(home, "client", "show", "erp").stdout
        + in_process(home, "source", "show", "shop").stdout
    )
    secrets = [b"Sup3r-Secret-PW", b"ck-Secret-1", b"cs-Secret-2", b"at-Secret-3", b"ats-Secret-4"]
    for secret in secrets:
        assert secret.decode() not in shown
    files = [p for p in home.iterdir() if p.name.startswith("plentysync.db")]
    assert files
    raw = b"".join(p.read_bytes() for p in files)
    assert b"erp" in raw  # the file is readable as bytes: the grep below means something
    for secret in secrets:
        assert secret not in raw


def test_the_namespace_is_fixed_from_the_command_line(home: Path) -> None:
    _add_client_and_source(home)
    r = in_process(home, "source", "edit", "shop", "--namespace", "shop-us")
    assert r.returncode == 2 and "cannot change" in r.stderr


def test_schedules_validate_cron_and_zone(home: Path) -> None:
    r = in_process(home, "schedule", "add", "--name", "q", "--cron", "*/15 * * *")
    assert r.returncode == 2 and "cron" in r.stderr
    r = in_process(
        home,
        "schedule",
        "add",
        "--name",
        "q",
        "--cron",
        "*/15 * * * *",
        "--timezone",
        "Europe/Berlin",
    )
    assert r.returncode == 0
    listed = json.loads(in_process(home, "schedule", "list", "--json").stdout)
    assert listed[0]["next_due"] and listed[0]["timezone"] == "Europe/Berlin"


def test_db_upgrade_reports_the_version(home: Path) -> None:
    r = in_process(home, "db", "upgrade")
    assert r.returncode == 0 and f"schema at version {HEAD} (was 0)" in r.stdout


def test_an_exported_profile_moves_to_an_installation_with_other_schedule_ids(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _add_client_and_source(first)
    _add_client_and_source(second)
    for cron_name in ("hourly", "15min"):
        r = in_process(first, "schedule", "add", "--name", cron_name, "--cron", "*/15 * * * *")
        assert r.returncode == 0, r.stderr
    r = in_process(
        first,
        *["profile", "create", "--name", "eu", "--client", "erp", "--source", "shop"],
        *["--set", "schedule.schedule_id=2", "--set", "store.referrer_id=1"],
    )
    assert r.returncode == 0, r.stderr
    exported = tmp_path / "eu.json"
    assert in_process(first, "profile", "export-config", "eu", "-o", str(exported)).returncode == 0
    assert json.loads(exported.read_text())["settings"]["schedule"]["schedule_name"] == "15min"

    r = in_process(second, "profile", "import-config", str(exported))
    assert r.returncode == 2
    assert (
        r.stderr.strip()
        .splitlines()[-1]
        .startswith("error: schedule.schedule_name: no schedule named '15min' here (known: none)")
    )
    r = in_process(second, "schedule", "add", "--name", "15min", "--cron", "*/15 * * * *")
    assert r.returncode == 0, r.stderr
    assert in_process(second, "profile", "import-config", str(exported)).returncode == 0
    info = json.loads(in_process(second, "profile", "info", "eu", "--json").stdout)
    # Resolved to this installation's schedule (a dangling id would be shown as an id).
    assert info["settings"]["schedule"]["schedule_name"] == "15min"
    assert not [p for p in info["runnable_problems"] if p.startswith("schedule.")]
