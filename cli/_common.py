"""What every command shares: opening the database, printing, and one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

from core.db import init_database
from core.files import restrict_umask
from core.operations.logfile import configure_logging
from core.settings import get_settings

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

INPUT_ERROR_EXIT = 2


def open_db(*, upgrade: bool = False) -> None:
    """Open the configured database; a newly created one is announced on stderr."""
    status = init_database(upgrade=upgrade, announce=False)
    if status.created:
        err.print(
            f"[bold yellow]NEW DATABASE[/] created at {status.url}.\n"
            "It holds no links to PlentyONE contacts. If plentysync exported to this "
            "PlentyONE system before, stop now and restore the old database and secret key, "
            "or the next export can create duplicate contacts."
        )


def fail(message: str, code: int = INPUT_ERROR_EXIT) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def confirm_or_refuse(question: str, *, yes: bool) -> None:
    """Go on when ``--yes`` was given or the person at the terminal agrees.

    Without a terminal there is nobody to ask: a script must say ``--yes`` on purpose, so a
    destructive command never runs because a pipe happened to answer.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        fail(f"{question} Not confirmed: give --yes to do it without a terminal")
    if not typer.confirm(question):
        err.print("nothing changed")
        raise typer.Exit(1)


def parse_value(text: str) -> Any:
    """A ``--set`` value: JSON when it parses (numbers, booleans, lists, objects), else text.

    A value that opens like a JSON list, object or quoted string must be JSON: read as plain
    text it would only come back later as a puzzling type error.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip()[:1] in ("[", "{", '"'):
            raise ValueError(
                f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from exc
        return text


def parse_assignments(items: list[str]) -> list[tuple[str, Any]]:
    pairs = []
    for item in items:
        if "=" not in item:
            fail(f"--set {item!r}: write section.field=value, e.g. schedule.process_batch_size=50")
        path, value = item.split("=", 1)
        try:
            pairs.append((path.strip(), parse_value(value)))
        except ValueError as exc:
            fail(f"--set {path.strip()}: {exc}")
    return pairs


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def run_cli(app: typer.Typer) -> None:
    """Run ``app``; its root group turns every expected error into one line on stderr."""
    app()


def setup_logging() -> None:
    """Private files, and the logging every plentysync process shares (masked, quiet httpx)."""
    restrict_umask()
    configure_logging(get_settings())
