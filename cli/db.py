"""``plentysync db``: the database schema."""

from __future__ import annotations

import typer

from cli._common import out
from core.db import connect_database, redact_url
from core.db.migrations import HEAD, current_version, upgrade

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Upgrade the database schema to this version of plentysync (back the database up first)."""
    url = connect_database()
    before = current_version()
    for migration in upgrade():
        out.print(f"applied {migration.version}: {migration.name}")
    out.print(f"{redact_url(url)}: schema at version {HEAD} (was {before})")


@app.command("version")
def version() -> None:
    """Print the schema version of the database and the one this plentysync needs."""
    url = connect_database()
    out.print(f"{redact_url(url)}: schema at version {current_version()}, plentysync needs {HEAD}")
