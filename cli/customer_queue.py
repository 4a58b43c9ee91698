"""Commands of the ``customer`` group added by the queue."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``customer`` command group."""
