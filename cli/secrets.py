"""``plentysync secrets``: the key that encrypts stored passwords and tokens."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from cryptography.fernet import Fernet, MultiFernet

from cli._common import open_db, out
from cli.secret_input import read_secret_file
from core.db.models import Client
from core.export.connections import plenty_config
from core.operations.keys import rotate_key
from core.secrets import rotate
from worker.deployment import choose_deployment

app = typer.Typer(help="The secret key for stored credentials.", no_args_is_help=True)


@app.command("generate-key")
def generate_key() -> None:
    """Print a new key for PLENTYSYNC_SECRET_KEY (keep it with your database backups)."""
    typer.echo(Fernet.generate_key().decode("ascii"))


@app.callback()
def _group() -> None:
    """The secret key for stored credentials."""


@app.command("rotate-key")
def rotate_key_command(
    new_key_file: Annotated[
        Path | None,
        typer.Option(
            "--new-key-file",
            help="Key file only: use the key in this file ('-' reads standard input) instead "
            "of a generated one. Never give a key on the command line.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Re-encrypt every stored password, credential and token under a new key.

    With the key file, a new key is written first in it and the old one dropped once every
    secret is re-encrypted. With PLENTYSYNC_SECRET_KEY, set it to NEW,OLD first, run this,
    then drop OLD. Restart workers afterwards so none keeps the old key in memory.
    """
    new_key = None if new_key_file is None else read_secret_file("--new-key-file", new_key_file)
    open_db()
    rotation = rotate_key(new_key=new_key, also=_rotate_redis_tokens)
    out.print(
        f"re-encrypted {rotation.clients} client passwords, {rotation.sources} source "
        f"credentials and {rotation.tokens} stored tokens"
    )
    if rotation.key_file is not None:
        out.print(f"the key file {rotation.key_file} now holds only the new key: back it up")
    else:
        out.print("every secret now uses the first key of PLENTYSYNC_SECRET_KEY: drop the others")


def _rotate_redis_tokens(cipher: MultiFernet) -> int:
    """Re-seal the PlentyONE tokens shared through Redis (none without Redis)."""
    store = choose_deployment().backends().tokens
    if store is None:
        return 0
    count = 0
    for client in Client.select():
        user = plenty_config(client).user_key
        token = store.load(user)
        if token is None:
            continue
        store.save(user, dataclasses.replace(token, sealed=rotate(token.sealed, cipher)))
        count += 1
    return count
