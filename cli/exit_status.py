"""How a ``plentysync`` command ends: the exit status table and one line on stderr per error.

Every command runs inside :class:`OneLineErrors`, the root command group, so a cron job or a
person at the terminal gets the same answer whether the mistake was caught by the option
parser (an unknown option, a bad number) or by plentysync itself (an unknown profile, a bad
setting): ``error: ...`` on one line and a status from the table below.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import peewee
import pydantic
from rich.markup import escape
from typer import Abort
from typer._click import exceptions as click  # Typer ships its own click
from typer.core import TyperGroup

from cli._common import err
from cli.old_spellings import hide_old_spellings
from core.db import redact_url
from core.db.models import Run
from core.errors import DiskFullError, Later, PlentysyncError
from core.settings import get_settings
from core.validation import describe_errors

DONE = 0
FAILED = 1
USAGE = 2
CUSTOMERS_FAILED = 3
INTERRUPTED = 130

TABLE = (
    (DONE, "done; no customer failed"),
    (FAILED, "the run or the command failed (a service unreachable, the database unusable)"),
    (USAGE, "a bad option, value or setting; nothing was done"),
    (CUSTOMERS_FAILED, "the export finished, but some customers failed or are in conflict"),
    (INTERRUPTED, "interrupted (Ctrl-C); the line printed says how to resume"),
)

EPILOG = "Exit status: " + "; ".join(f"{code} {meaning}" for code, meaning in TABLE) + "."


def exit_status(run: Run) -> int:
    """How an export ends: 0 when every customer went through, 3 when some failed or wait for
    a decision, 1 when the run itself did not finish."""
    if run.status != "done":
        return FAILED
    return CUSTOMERS_FAILED if run.failed or run.conflicts else DONE


def say_error(message: str) -> None:
    """Print ``error: message`` as one line on stderr, whatever the message holds."""
    flat = " ".join(message.split())
    err.print(f"[bold red]error:[/] {escape(flat)}")


def _usage_line(exc: click.UsageError) -> str:
    message = exc.format_message()
    if exc.ctx is not None:
        return f"{message} (see '{exc.ctx.command_path} --help')"
    return message


def _status_of(exc: BaseException) -> int:
    """Print what went wrong and return the exit status it stands for."""
    if isinstance(exc, click.NoArgsIsHelpError):
        exc.show()  # a bare group prints its help, as it always has
        return USAGE
    if isinstance(exc, click.UsageError):
        say_error(_usage_line(exc))
        return USAGE
    if isinstance(exc, click.ClickException):
        say_error(exc.format_message())
        return exc.exit_code
    if isinstance(exc, Abort):
        say_error("aborted; nothing more was done")
        return FAILED
    if isinstance(exc, PlentysyncError):
        lines = exc.detail.get("lines")
        for line in lines if isinstance(lines, list) and lines else [exc.message]:
            say_error(str(line))
        # Our own storage or a service failed: nothing the command line said was wrong.
        failed = isinstance(exc, Later | DiskFullError)
        return FAILED if failed else USAGE
    if isinstance(exc, pydantic.ValidationError):
        for line in describe_errors(exc):
            say_error(line)
        return USAGE
    assert isinstance(exc, peewee.DatabaseError)
    say_error(f"database {redact_url(get_settings().resolved_database_url)}: {exc}")
    return FAILED


_EXPECTED = (
    click.ClickException,
    Abort,
    PlentysyncError,
    pydantic.ValidationError,
    peewee.DatabaseError,
)


class OneLineErrors(TyperGroup):
    """The root group: every error ends as one line and a status from :data:`TABLE`."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        hide_old_spellings(self)
        try:
            # Not standalone: parser errors reach us instead of Typer's boxed panel.
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _EXPECTED as exc:
            status = _status_of(exc)
        else:
            # Without standalone mode an Exit comes back as its status; commands return None.
            status = result if isinstance(result, int) else DONE
        if not standalone_mode:
            return status
        sys.exit(status)
