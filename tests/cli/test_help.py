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
