"""``plentysync tui --serve``: loopback only, and what each browser tab runs."""

from __future__ import annotations

import shlex

import pytest
import typer
from typer.testing import CliRunner

from cli.main import app
from cli.tui_serve import TabServices, loopback_address, tab_command
from core.errors import ConfigError
from core.settings import get_settings
from tests.tui.conftest import Demo
from tui.services import RunRequest, Services
from worker.serve_lock import serve_lock


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1:8566", ("127.0.0.1", 8566)),
        ("localhost:8566", ("localhost", 8566)),
        ("LOCALHOST:1", ("LOCALHOST", 1)),
        ("[::1]:8566", ("::1", 8566)),
        ("::1:8566", ("::1", 8566)),
        ("127.0.0.2:65535", ("127.0.0.2", 65535)),
    ],
)
def test_loopback_addresses_are_accepted(address: str, expected: tuple[str, int]) -> None:
    assert loopback_address(address) == expected


@pytest.mark.parametrize(
    "address",
    ["0.0.0.0:8566", "192.168.1.4:8566", "[::]:8566", "example.com:8566", ":8566", "shop:80"],
)
def test_other_addresses_are_refused(address: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exit_:
        loopback_address(address)
    assert exit_.value.exit_code == 2
    assert "no authentication" in capsys.readouterr().err


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "x:y"])
def test_a_malformed_address_is_refused(address: str) -> None:
    with pytest.raises(typer.Exit) as exit_:
        loopback_address(address)
    assert exit_.value.exit_code == 2


def test_the_command_refuses_with_one_line_and_status_2_before_opening_anything() -> None:
    result = CliRunner().invoke(app, ["tui", "--serve", "0.0.0.0:8566"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: --serve '0.0.0.0:8566'")
    assert "ssh" in lines[0].lower() or "tunnel" in lines[0]


def test_each_tab_runs_the_tui_as_a_tab_with_the_parents_flags() -> None:
    argv = shlex.split(tab_command(viewer=True, theme="ansi-dark"))
    assert argv[0] == "exec"  # the tab's TUI is the server's own child
    assert argv[2:] == ["-m", "cli.main", "tui", "--tab", "--viewer", "--theme", "ansi-dark"]
    assert shlex.split(tab_command(viewer=False, theme=None))[-1] == "--tab"


def test_a_tab_never_works_runs_itself(demo: Demo) -> None:
    tab = TabServices()
    # Nobody holds the data directory: a terminal TUI would be embedded, a tab is not.
    assert Services().open() == "embedded"
    assert tab.open() == "attached"
    assert tab.start_embedded() is False and tab.embedded is None
    with pytest.raises(ConfigError, match="no worker runs"):
        tab.start_run(demo.profile_id, RunRequest())


def test_a_tab_beside_the_serving_parent_is_attached(demo: Demo) -> None:
    lock = serve_lock(get_settings().home)
    lock.acquire(timeout=0)  # as the serving parent's embedded service does
    try:
        tab = TabServices()
        assert tab.open() == "attached"
        assert tab.deployment.executor() == "serve"  # its runs are left to the parent
    finally:
        lock.release()
