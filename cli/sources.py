"""``plentysync source``: Magento stores and the namespace plentysync writes under."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli._common import fail, open_db, out, print_json
from cli.secret_input import SecretInput, read_secret
from cli.tables import print_fields, print_table
from core.services.connections import (
    create_source,
    edit_source,
    list_sources,
    remove_source,
    secrets_needed,
    show_source,
)
from core.sources import SECRET_KEYS

app = typer.Typer(help="Magento stores read through their REST API.", no_args_is_help=True)

_LABELS = {
    "token": "Magento integration token",
    "consumer_key": "OAuth consumer key",
    "consumer_secret": "OAuth consumer secret",
    "access_token": "OAuth access token",
    "access_token_secret": "OAuth access token secret",
    "password": "Magento admin password",
}
SECRETS = {
    key: SecretInput(key.replace("_", "-"), f"PLENTYSYNC_SOURCE_{key.upper()}", label)
    for key, label in _LABELS.items()
}
AUTH_MODES = ("bearer", "oauth1", "admin")


def _file(key: str) -> Any:
    spec = SECRETS[key]
    return typer.Option(spec.file_option, help=spec.file_help(), show_default=False)


def _read_secrets(auth: str, files: dict[str, Path | None], *, ask: bool) -> dict[str, str]:
    """The secrets given in files, and, when ``ask``, every other one the auth mode needs."""
    needed = secrets_needed(auth) if ask else ()
    values: dict[str, str] = {}
    for key in SECRET_KEYS:
        if key in needed or files[key] is not None:
            values[key] = read_secret(SECRETS[key], files[key])
    return values


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="A name for this store.")],
    namespace: Annotated[
        str, typer.Option(help="Fixed prefix of every identity we write, e.g. shop-eu.")
    ],
    url: Annotated[str, typer.Option(help="Magento base URL, e.g. https://shop.example.com")],
    auth: Annotated[str, typer.Option(help="bearer, oauth1 or admin")] = "bearer",
    token_file: Annotated[Path | None, _file("token")] = None,
    consumer_key_file: Annotated[Path | None, _file("consumer_key")] = None,
    consumer_secret_file: Annotated[Path | None, _file("consumer_secret")] = None,
    access_token_file: Annotated[Path | None, _file("access_token")] = None,
    access_token_secret_file: Annotated[Path | None, _file("access_token_secret")] = None,
    username: Annotated[str, typer.Option(help="Admin user (auth admin).")] = "",
    password_file: Annotated[Path | None, _file("password")] = None,
    store_code: Annotated[str, typer.Option()] = "all",
    page_size: Annotated[int, typer.Option()] = 200,
) -> None:
    """Add a Magento store; tokens and keys are stored encrypted.

    Each secret the auth mode needs comes from its --...-file option, else its environment
    variable (PLENTYSYNC_SOURCE_TOKEN, PLENTYSYNC_SOURCE_CONSUMER_KEY, ...), else a hidden
    prompt: never from the command line, where ps and the shell history would show it.
    """
    if auth not in AUTH_MODES:
        fail(f"--auth {auth!r}: use bearer, oauth1 or admin")
    files = {k: v for k, v in locals().items() if k.endswith("_file")}
    given = _read_secrets(auth, {k: files[f"{k}_file"] for k in SECRET_KEYS}, ask=True)
    open_db()
    source = create_source(
        name=name,
        namespace=namespace,
        base_url=url,
        auth_mode=auth,
        secrets=given,
        username=username,
        settings={"store_code": store_code, "page_size": page_size},
    )
    out.print(f"source {source.id} {source.name!r} added with namespace {source.namespace!r}")


COLUMNS = [
    ("id", "ID"),
    ("name", "NAME"),
    ("namespace", "NAMESPACE"),
    ("base_url", "URL"),
    ("auth_mode", "AUTH"),
    ("store_code", "STORE CODE"),
]


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List Magento stores."""
    open_db()
    rows = [view.to_json() for view in list_sources()]
    if json_:
        print_json(rows)
        return
    for row in rows:
        row["store_code"] = row["settings"].get("store_code")
    print_table(rows, COLUMNS, empty="no sources yet: 'plentysync source add'")


@app.command("show")
def show(
    source_ref: Annotated[str, typer.Argument(help="Source id or name.")],
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one Magento store (never its secrets)."""
    open_db()
    shown = show_source(source_ref).to_json()
    if json_:
        print_json(shown)
        return
    print_fields(shown)


@app.command("edit")
def edit(
    source_ref: Annotated[str, typer.Argument(help="Source id or name.")],
    name: Annotated[str | None, typer.Option()] = None,
    namespace: Annotated[str | None, typer.Option(help="Cannot change once set.")] = None,
    url: Annotated[str | None, typer.Option()] = None,
    auth: Annotated[
        str | None, typer.Option(help="A new auth mode; its secrets are read as for add.")
    ] = None,
    new_credentials: Annotated[
        bool,
        typer.Option(
            "--credentials",
            help="Set every secret of the auth mode anew: from its file, its environment "
            "variable or a hidden prompt.",
        ),
    ] = False,
    token_file: Annotated[Path | None, _file("token")] = None,
    consumer_key_file: Annotated[Path | None, _file("consumer_key")] = None,
    consumer_secret_file: Annotated[Path | None, _file("consumer_secret")] = None,
    access_token_file: Annotated[Path | None, _file("access_token")] = None,
    access_token_secret_file: Annotated[Path | None, _file("access_token_secret")] = None,
    username: Annotated[str | None, typer.Option()] = None,
    password_file: Annotated[Path | None, _file("password")] = None,
    store_code: Annotated[str | None, typer.Option()] = None,
    page_size: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Change a Magento store's settings or credentials.

    Secrets are never given on the command line: a --...-file option replaces that one
    secret; --credentials or a new --auth reads all the mode needs (file, environment
    variable PLENTYSYNC_SOURCE_..., or a hidden prompt).
    """
    if auth is not None and auth not in AUTH_MODES:
        fail(f"--auth {auth!r}: use bearer, oauth1 or admin")
    files = {k: v for k, v in locals().items() if k.endswith("_file")}
    open_db()
    current = show_source(source_ref)
    given = _read_secrets(
        auth or current.auth_mode,
        {k: files[f"{k}_file"] for k in SECRET_KEYS},
        ask=new_credentials or (auth is not None and auth != current.auth_mode),
    )
    source = edit_source(
        source_ref,
        name=name,
        namespace=namespace,
        base_url=url,
        username=username,
        auth_mode=auth,
        secrets=given,
        settings={"store_code": store_code, "page_size": page_size},
    )
    out.print(f"source {source.id} {source.name!r} saved")


@app.command("remove")
def remove(
    source_ref: Annotated[str, typer.Argument(help="Source id or name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a Magento store that no profile uses."""
    open_db()
    source = show_source(source_ref)
    if not yes:
        typer.confirm(f"Remove source {source.name!r}?", abort=True)
    remove_source(source.id)
    out.print(f"source {source.name!r} removed")
