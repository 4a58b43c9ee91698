"""``plentysync secrets``: the key that encrypts stored passwords and tokens."""

from __future__ import annotations

import typer
from cryptography.fernet import Fernet

app = typer.Typer(help="The secret key for stored credentials.", no_args_is_help=True)


@app.command("generate-key")
def generate_key() -> None:
    """Print a new key for PLENTYSYNC_SECRET_KEY (keep it with your database backups)."""
    typer.echo(Fernet.generate_key().decode("ascii"))


@app.callback()
def _group() -> None:
    """The secret key for stored credentials."""
