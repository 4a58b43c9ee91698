"""What plentysync leaves on disk is readable by its user only: 0700 folders, 0600 files."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.server import RunningServer
from tests.cli.support import add_sandbox_client, plentysync, set_up_profile, small_sandboxes
from tests.cli.support import in_process as cli


@pytest.fixture
def sandboxes() -> Iterator[tuple[RunningServer, RunningServer]]:
    with small_sandboxes() as servers:
        yield servers


def loose_modes(home: Path) -> dict[str, str]:
    """Every path under ``home`` (itself included) whose mode is not 0700 / 0600."""
    found = {}
    for path in [home, *home.rglob("*")]:
        current = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if current != wanted:
            found[str(path.relative_to(home.parent))] = oct(current)
    return found


def test_a_fresh_home_is_private_after_the_first_command(tmp_path: Path) -> None:
    home = tmp_path / "data"
    # A process of its own: the mode it creates with is its own, not the test process's.
    added = plentysync(
        home,
        *[
            "client",
            "add",
            "--name",
            "erp",
            "--username",
            "api-user",
            "--url",
            "http://127.0.0.1:1",
        ],
        env={"PLENTYSYNC_CLIENT_PASSWORD": "api-password"},
    )
    assert added.returncode == 0, added.stderr
    assert {p.name for p in home.iterdir()} >= {"plentysync.db", "secret.key", "logs"}
    assert loose_modes(home) == {}


@pytest.mark.slow  # a real export process, paced by the sandbox budget
def test_a_home_is_private_after_an_export_with_request_logs(
    tmp_path: Path, sandboxes: tuple[RunningServer, RunningServer]
) -> None:
    home = tmp_path / "data"
    set_up_profile(
        home, *sandboxes, "log.is_active_request_log=true", "log.is_active_response_log=true"
    )
    exported = cli(
        home, "customer", "export", "--profile-id", "eu", "--entity-ids", "1-5", "--json"
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["total"] == 5
    config = tmp_path / "eu.json"
    assert cli(home, "profile", "export-config", "eu", "-o", str(config)).returncode == 0
    assert list((home / "logs").glob("plenty-profile-*.jsonl"))
    assert loose_modes(home) == {}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_an_existing_loose_home_is_tightened_with_one_warning_each(tmp_path: Path) -> None:
    home = tmp_path / "data"
    assert add_sandbox_client(home, "http://127.0.0.1:1").returncode == 0
    loose = [home, home / "plentysync.db", home / "logs" / "plentysync.log"]
    for path in loose:
        path.chmod(0o755 if path.is_dir() else 0o644)
    listed = cli(home, "client", "list")
    assert listed.returncode == 0, listed.stderr
    warnings = [line for line in listed.stderr.splitlines() if "tightened" in line]
    assert len(warnings) == len(loose), listed.stderr
    for path in loose:
        assert sum(f"tightened {path} from mode" in line for line in warnings) == 1
    assert loose_modes(home) == {}
    again = cli(home, "client", "list")
    assert "tightened" not in again.stderr
