"""``plentysync source``: Magento stores and the namespace plentysync writes under."""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import fail, open_db, out, print_json
from cli.tables import print_fields, print_table
from core.sources import (
    SECRET_KEYS,
    SourceCredentials,
    SourceSettings,
    create_source,
    get_source,
    remove_source,
    source_secrets,
    source_settings,
    source_view,
    source_views,
    update_source,
)

app = typer.Typer(help="Magento stores read through their REST API.", no_args_is_help=True)

Secret = Annotated[str | None, typer.Option(show_default=False)]


def _credentials(auth: str, values: dict[str, str | None]) -> SourceCredentials:
    return SourceCredentials(auth_mode=auth, values={k: v for k, v in values.items() if v})


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="A name for this store.")],
    namespace: Annotated[
        str, typer.Option(help="Fixed prefix of every identity we write, e.g. shop-eu.")
    ],
    url: Annotated[str, typer.Option(help="Magento base URL, e.g. https://shop.example.com")],
    auth: Annotated[str, typer.Option(help="bearer, oauth1 or admin")] = "bearer",
    token: Secret = None,
    consumer_key: Secret = None,
    consumer_secret: Secret = None,
    access_token: Secret = None,
    access_token_secret: Secret = None,
    username: Annotated[str, typer.Option(help="Admin user (auth admin).")] = "",
    password: Secret = None,
    store_code: Annotated[str, typer.Option()] = "all",
    page_size: Annotated[int, typer.Option()] = 200,
) -> None:
    """Add a Magento store; tokens and keys are stored encrypted."""
    open_db()
    if auth not in ("bearer", "oauth1", "admin"):
        fail(f"--auth {auth!r}: use bearer, oauth1 or admin")
    given = {k: v for k, v in locals().items() if k in SECRET_KEYS}
    credentials = _credentials(auth, given)
    source = create_source(
        name=name,
        namespace=namespace,
        base_url=url,
        credentials=credentials,
        username=username,
        settings=SourceSettings(store_code=store_code, page_size=page_size),
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
    rows = [view.to_json() for view in source_views()]
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
    shown = source_view(get_source(source_ref)).to_json()
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
    auth: Annotated[str | None, typer.Option(help="With the new mode's secrets.")] = None,
    token: Secret = None,
    consumer_key: Secret = None,
    consumer_secret: Secret = None,
    access_token: Secret = None,
    access_token_secret: Secret = None,
    username: Annotated[str | None, typer.Option()] = None,
    password: Secret = None,
    store_code: Annotated[str | None, typer.Option()] = None,
    page_size: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Change a Magento store's settings or credentials."""
    open_db()
    source = get_source(source_ref)
    given = {k: v for k, v in locals().items() if k in SECRET_KEYS}
    credentials = None
    if auth or any(given.values()):
        current = {k: v.reveal() for k, v in source_secrets(source).items()}
        if auth and auth != source.auth_mode:
            current = {}
        current.update({k: v for k, v in given.items() if v})
        credentials = _credentials(auth or source.auth_mode, current)  # type: ignore[arg-type]
    settings = None
    if store_code is not None or page_size is not None:
        merged = source_settings(source).model_dump()
        merged.update(
            {
                k: v
                for k, v in (("store_code", store_code), ("page_size", page_size))
                if v is not None
            }
        )
        settings = SourceSettings.model_validate(merged)
    update_source(
        source,
        name=name,
        namespace=namespace,
        base_url=url,
        username=username,
        credentials=credentials,
        settings=settings,
    )
    out.print(f"source {source.id} {source.name!r} saved")


@app.command("remove")
def remove(
    source_ref: Annotated[str, typer.Argument(help="Source id or name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a Magento store that no profile uses."""
    open_db()
    source = get_source(source_ref)
    if not yes:
        typer.confirm(f"Remove source {source.name!r}?", abort=True)
    remove_source(source)
    out.print(f"source {source.name!r} removed")
