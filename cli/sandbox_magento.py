"""``plentysync sandbox magento``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``magento`` command to the sandbox command group."""
