"""Every command answers a bad value with one line on stderr and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner, Result

from cli.exit_status import TABLE
from cli.main import app
from tests.cli.support import plentysync

runner = CliRunner()


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [(path, command)]
    found = [(path, command)] if getattr(command, "invoke_without_command", False) else []
    for name, sub in subcommands.items():
        found += _leaves(sub, (*path, name))
    return found


COMMANDS = [(path, command) for path, command in _leaves(get_command(app)) if path]


def _typed_bad_value(command: Any) -> list[str] | None:
    """A value of the wrong type for the command's first number or choice, if it has one."""
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        kind = param.bare_type()
        if kind not in ("int", "float", "Plan"):
            continue
        if param.param_type_name == "argument":
            return ["not-a-number"]
        return [param.opts[0], "bogus" if kind == "Plan" else "not-a-number"]
    return None


def _one_error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def test_the_walk_finds_every_command_group() -> None:
    names = {path[0] for path, _ in COMMANDS}
    assert {"client", "source", "profile", "customer", "run", "history", "sandbox"} <= names
    assert len(COMMANDS) > 50


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_an_unknown_option_is_one_line_and_status_2(path: tuple[str, ...], command: Any) -> None:
    line = _one_error_line(runner.invoke(app, [*path, "--no-such-option"]))
    assert "--no-such-option" in line
    assert f"{' '.join(path)} --help'" in line


TYPED = [(p, c, bad) for p, c in COMMANDS if (bad := _typed_bad_value(c))]


@pytest.mark.parametrize(("path", "command", "bad"), TYPED, ids=[" ".join(p) for p, _, _ in TYPED])
def test_a_value_of_the_wrong_type_is_one_line_and_status_2(
    path: tuple[str, ...], command: Any, bad: list[str]
) -> None:
    line = _one_error_line(runner.invoke(app, [*path, *bad]))
    assert "Invalid value" in line


def test_a_missing_option_and_an_unknown_command_are_one_line() -> None:
    assert "'--profile'" in _one_error_line(runner.invoke(app, ["customer", "export"]))
    assert "'expor'" in _one_error_line(runner.invoke(app, ["customer", "expor"]))


def test_the_real_command_answers_in_one_line(tmp_path: Path) -> None:
    r = plentysync(tmp_path / "data", "customer", "export", "--profile-id", "eu", "--limit", "0")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [r.stderr.strip()] and r.stderr.startswith("error: ")
    assert "--limit" in r.stderr
    r = plentysync(tmp_path / "data", "--help")
    assert r.returncode == 0
    flat = " ".join(r.stdout.replace("│", " ").split())
    for code, _ in TABLE:
        assert f"{code} " in flat
    assert "Exit status:" in flat


def test_the_installed_console_script_answers_in_one_line(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("plentysync")
    if not script.exists():
        pytest.skip("plentysync is not installed next to this Python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env["PLENTYSYNC_HOME"] = str(tmp_path / "data")
    r = subprocess.run(
        [str(script), "run", "list", "--status"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 2
    assert r.stderr == "error: Option '--status' requires an argument.\n"


def _one_bad_value(command: Any) -> list[str]:
    """One bad value for any command: a word where a number goes, else an option left without
    its value, else an argument the command does not take."""
    typed = _typed_bad_value(command)
    if typed:
        return typed
    for param in command.params:
        if param.param_type_name != "option" or param.name == "help":
            continue
        if not (getattr(param, "is_flag", False) or getattr(param, "count", False)):
            return [param.opts[0]]
    if not any(param.param_type_name == "argument" for param in command.params):
        return ["stray-value"]
    return ["stray-value"] * 5  # more arguments than any command takes


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_answers_one_bad_value_in_one_line(
    path: tuple[str, ...], command: Any
) -> None:
    bad = _one_bad_value(command)
    result = runner.invoke(app, [*path, *bad])
    line = _one_error_line(result)
    assert bad[0] in line or "Invalid value" in line, line
