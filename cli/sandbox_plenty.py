"""``plentysync sandbox plenty``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``plenty`` command to the sandbox command group."""
