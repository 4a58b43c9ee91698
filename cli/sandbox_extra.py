"""The emulators and the demo run on the optional ``plentysync[sandbox]`` dependencies.

A production install leaves them out; there ``plentysync sandbox`` and ``plentysync demo``
only say which extra to install and exit with status 2.
"""

from __future__ import annotations

import importlib.util

import typer
from rich.markup import escape

from cli._common import fail

SANDBOX_MODULES = ("faker", "starlette", "uvicorn")
INSTALL_HINT = "this command needs the sandbox extra: pip install 'plentysync[sandbox]'"


def missing_sandbox_modules() -> list[str]:
    """The modules of the sandbox extra that this environment cannot import."""
    return [name for name in SANDBOX_MODULES if importlib.util.find_spec(name) is None]


def register_unavailable(app: typer.Typer) -> None:
    """Add ``sandbox`` and ``demo`` commands that only name the extra they need."""
    for name in ("sandbox", "demo"):
        app.command(
            name,
            help="Needs the sandbox extra: pip install 'plentysync[sandbox]'.",
            add_help_option=False,
            context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        )(_needs_extra)


def _needs_extra(ctx: typer.Context) -> None:
    fail(escape(INSTALL_HINT))
