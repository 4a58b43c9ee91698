"""``plentysync config show``: the values a profile may name, as collected from both systems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer
from rich.table import Table

from cli._common import err, fail, open_db, out, print_json
from core.clients import get_client
from core.config_view import (
    ClientConfigView,
    SourceConfigView,
    client_config_view,
    source_config_view,
)
from core.sources import get_source

app = typer.Typer(
    help="Show the configuration collected from PlentyONE and Magento.", no_args_is_help=True
)

NOT_COLLECTED_EXIT = 1


def _table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    return table


def _print_client(view: ClientConfigView) -> None:
    out.print(f"{view.owner}: collected {view.collected_at:%Y-%m-%d %H:%M} UTC")
    out.print(
        _table(
            "webstores (store.store_mapping[].plenty_id)",
            ("plentyId", "name", "webstore id"),
            ((w.plenty_id, w.name, w.id) for w in view.webstores),
        )
    )
    out.print(
        _table(
            "customer classes (customer.default_group, group_mapping[].plenty_class_id)",
            ("id", "name"),
            ((c.id, c.name) for c in view.classes),
        )
    )
    out.print(
        _table(
            "referrers (store.referrer_id; set when a contact is created)",
            ("id", "name"),
            ((r.id, r.name) for r in view.referrers),
        )
    )
    out.print(f"languages (store.store_mapping[].locale): {', '.join(view.languages) or 'none'}")
    out.print(
        _table(
            "countries",
            ("id", "ISO", "name", "states"),
            ((c.id, c.iso2, c.name, c.states or "") for c in view.countries),
        )
    )


def _print_source(view: SourceConfigView) -> None:
    out.print(f"{view.owner}: collected {view.collected_at:%Y-%m-%d %H:%M} UTC")
    out.print(
        _table(
            "customer groups (customer.group_mapping[].magento_group_id, b2b_group_ids)",
            ("id", "code"),
            ((g.id, g.code) for g in view.groups),
        )
    )
    out.print(
        _table(
            "websites (store.website_referrers[].website_id)",
            ("id", "code", "name", "default store view"),
            ((w.id, w.code, w.name, w.default_store_id) for w in view.websites),
        )
    )
    out.print(
        _table(
            "store views (store.store_mapping[].store_id)",
            ("id", "code", "name", "website"),
            ((v.id, v.code, v.name, v.website_id) for v in view.store_views),
        )
    )
    if view.address_attributes:
        out.print(f"address attributes: {', '.join(view.address_attributes)}")


@app.command("show")
def show(
    client: Annotated[
        str | None, typer.Option("--client", "--client-id", help="Client id or name.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "--source-id", help="Magento source id or name.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Classes, referrers, webstores, languages and countries of a client; groups, websites and
    store views of a source: the ids a profile may use. Exit status 1 when nothing was collected.
    """
    if client is None and source is None:
        fail("give --client and/or --source")
    open_db()
    views: list[ClientConfigView | SourceConfigView] = []
    if client is not None:
        views.append(client_config_view(get_client(client)))
    if source is not None:
        views.append(source_config_view(get_source(source)))
    missing = [v for v in views if not v.collected]
    if json_:
        print_json({v.to_json()["kind"]: v.to_json() for v in views})
    else:
        for view in views:
            if isinstance(view, ClientConfigView) and view.collected:
                _print_client(view)
            elif isinstance(view, SourceConfigView) and view.collected:
                _print_source(view)
    for view in missing:
        err.print(f"{view.owner}: nothing collected yet; run '{view.collect_command}'")
    if missing:
        raise typer.Exit(NOT_COLLECTED_EXIT)
