"""``plentysync client``: PlentyONE systems and how much of their API budget we may use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli._common import fail, open_db, out, print_json
from cli.secret_input import SecretInput, read_secret
from cli.tables import print_fields, print_table
from core.clients import BLACKOUT_FORMAT, BlackoutWindow, blackout_fields
from core.errors import InputError
from core.services.connections import (
    create_client,
    edit_client,
    list_clients,
    remove_client,
    show_client,
)

app = typer.Typer(help="PlentyONE systems (clients) and their API budgets.", no_args_is_help=True)

PASSWORD = SecretInput("password", "PLENTYSYNC_CLIENT_PASSWORD", "PlentyONE password")
PasswordFile = Annotated[
    Path | None, typer.Option("--password-file", help=PASSWORD.file_help(), show_default=False)
]

Blackout = Annotated[
    list[str] | None,
    typer.Option(
        "--blackout",
        # No square brackets here: the help is rendered as Rich markup.
        help=(
            "HH:MM-HH:MM, optionally followed by /mon,tue,... and @Time/Zone; repeatable, "
            "e.g. 01:00-03:00@Europe/Berlin or 22:00-23:00/sat,sun@UTC"
        ),
    ),
]


def parse_blackout(text: str) -> BlackoutWindow:
    try:
        fields = blackout_fields(text)
    except InputError:
        fail(f"--blackout {text!r}: write {BLACKOUT_FORMAT}")
    return BlackoutWindow(**fields)


def _budget_settings(
    plan: str | None,
    read_limit: int | None,
    write_limit: int | None,
    share: float | None,
    identity_field: str | None,
    windows: list[BlackoutWindow] | None,
) -> dict[str, Any]:
    """The client settings the options give (``None``: not given, the stored value stays)."""
    return {
        "plan": plan,
        "read_per_minute": read_limit,
        "write_per_minute": write_limit,
        "budget_share": share,
        "identity_field": identity_field,
        "blackout_windows": windows,
    }


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="A name for this PlentyONE system.")],
    url: Annotated[str, typer.Option(help="Base URL, e.g. https://shop.plentymarkets-cloud01.com")],
    username: Annotated[str, typer.Option(help="The PlentyONE back-end user.")],
    password_file: PasswordFile = None,
    plan: Annotated[str | None, typer.Option(help="basic, classic, flex or plus")] = "basic",
    read_limit: Annotated[
        int | None, typer.Option(help="Reads per minute (overrides plan).")
    ] = None,
    write_limit: Annotated[int | None, typer.Option(help="Writes per minute.")] = None,
    share: Annotated[float, typer.Option(help="Share of the budget plentysync may use.")] = 0.6,
    identity_field: Annotated[str, typer.Option(help="externalId or number")] = "externalId",
    blackout: Blackout = None,
) -> None:
    """Add a PlentyONE system; the password is stored encrypted.

    The password comes from --password-file, else $PLENTYSYNC_CLIENT_PASSWORD, else a hidden
    prompt: never from the command line, where ps and the shell history would show it.
    """
    password = read_secret(PASSWORD, password_file)
    open_db()
    windows = [parse_blackout(b) for b in blackout or []]
    settings = _budget_settings(plan, read_limit, write_limit, share, identity_field, windows)
    client = create_client(
        name=name, base_url=url, username=username, password=password, settings=settings
    )
    out.print(f"client {client.id} {client.name!r} added")


COLUMNS = [
    ("id", "ID"),
    ("name", "NAME"),
    ("base_url", "URL"),
    ("username", "USER"),
    ("plan", "PLAN"),
    ("write_per_minute", "WRITES/MIN"),
    ("budget_share", "SHARE"),
]


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List PlentyONE systems."""
    open_db()
    rows = [view.to_json() for view in list_clients()]
    if json_:
        print_json(rows)
        return
    for row in rows:
        row["write_per_minute"] = row["budget"]["write_per_minute"]
    print_table(rows, COLUMNS, empty="no clients yet: 'plentysync client add'")


@app.command("show")
def show(
    client_ref: Annotated[str, typer.Argument(help="Client id or name.")],
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one PlentyONE system (never its password)."""
    open_db()
    shown = show_client(client_ref).to_json()
    if json_:
        print_json(shown)
        return
    print_fields(shown)


@app.command("edit")
def edit(
    client_ref: Annotated[str, typer.Argument(help="Client id or name.")],
    name: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
    username: Annotated[str | None, typer.Option()] = None,
    new_password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Set a new password: $PLENTYSYNC_CLIENT_PASSWORD, else asked for (hidden).",
        ),
    ] = False,
    password_file: PasswordFile = None,
    plan: Annotated[str | None, typer.Option()] = None,
    read_limit: Annotated[int | None, typer.Option()] = None,
    write_limit: Annotated[int | None, typer.Option()] = None,
    share: Annotated[float | None, typer.Option()] = None,
    identity_field: Annotated[str | None, typer.Option()] = None,
    blackout: Blackout = None,
    clear_blackouts: Annotated[bool, typer.Option()] = False,
) -> None:
    """Change a PlentyONE system's settings."""
    open_db()
    show_client(client_ref)  # an unknown client is named before a password is asked for
    windows = None
    if blackout or clear_blackouts:
        windows = [parse_blackout(b) for b in blackout or []]
    settings = _budget_settings(plan, read_limit, write_limit, share, identity_field, windows)
    password = None
    if new_password or password_file is not None:
        password = read_secret(PASSWORD, password_file)
    client = edit_client(
        client_ref,
        name=name,
        base_url=url,
        username=username,
        password=password,
        settings=settings,
    )
    out.print(f"client {client.id} {client.name!r} saved")


@app.command("remove")
def remove(
    client_ref: Annotated[str, typer.Argument(help="Client id or name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a PlentyONE system that no profile uses (its links go with it)."""
    open_db()
    client = show_client(client_ref)
    if not yes:
        typer.confirm(f"Remove client {client.name!r} and every link to its contacts?", abort=True)
    remove_client(client.id)
    out.print(f"client {client.name!r} removed")
