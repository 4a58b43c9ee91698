"""Every ``--help`` in the command tree renders: the first thing a newcomer types."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cli.main import app


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    # Typer ships its own copy of Click, so groups are recognised by their sub-commands.
    paths = [path]
    subcommands = getattr(command, "commands", None) or {}
    for name, sub in sorted(subcommands.items()):
        paths.extend(_command_paths(sub, (*path, name)))
    return paths


COMMANDS = _command_paths(typer.main.get_command(app))


def test_the_tree_is_walked_to_its_leaves() -> None:
    assert ("client", "add") in COMMANDS
    assert ("client", "edit") in COMMANDS
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "plentysync")
def test_help_renders(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "Usage:" in result.output


def _old_spellings(command: Any) -> set[str]:
    """The second and later long names of the command's options, as they are declared."""
    return {
        name
        for param in command.params
        for name in [opt for opt in param.opts if opt.startswith("--")][1:]
    }


def _command_at(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


ALIASED = [path for path in COMMANDS if _old_spellings(_command_at(path))]


def test_some_commands_have_old_spellings() -> None:
    assert ("customer", "export") in ALIASED
    assert "--profile-id" in _old_spellings(_command_at(("customer", "export")))


@pytest.mark.parametrize("path", ALIASED, ids=lambda p: " ".join(p))
def test_help_shows_one_spelling_of_each_option(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    shown = set(result.output.replace("│", " ").replace(",", " ").split())
    assert not shown & _old_spellings(_command_at(path)), result.output


def test_an_old_spelling_still_parses() -> None:
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    for option in ("--profile", "--profile-id"):
        result = CliRunner().invoke(app, ["customer", "export", option, "nope", "--limit", "1"])
        assert result.exit_code == 2
        assert result.stderr.strip() == "error: no profile 'nope' (see 'plentysync profile list')"
    result = CliRunner().invoke(app, ["customer", "queue", "retry-failed", "--profile-id", "x"])
    assert "no profile 'x'" in result.stderr
