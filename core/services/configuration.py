"""What PlentyONE and Magento offer a profile: collecting it, forgetting it, adding a referrer.

``customer collect-config`` and a TUI's "refresh" call ``collect_config``; a profile form
reads the result through ``profiles.collected_choices``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.clients import get_client
from core.config_data import delete_config
from core.config_view import Named
from core.errors import InputError
from core.export.collect import collect_client, collect_source
from core.export.connections import Backends, open_magento, open_plenty
from core.profiles.service import get_profile
from core.sources import get_source
from core.tools.connection import Check, check_connection

Ref = str | int


@dataclass(frozen=True)
class Collected:
    """How many of each kind one client or source offered (``classes``, ``groups`` ...)."""

    kind: str  # client | source
    name: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Forgotten:
    """How many kinds of collected configuration one client or source lost."""

    kind: str  # client | source
    name: str
    kinds: int


@dataclass(frozen=True)
class ConnectionChecks:
    """Whether a profile reaches both systems: each check (name, ok/warning/failed, message)."""

    profile: str
    ok: bool
    checks: tuple[Check, ...]


def _needs_one(client: Ref | None, source: Ref | None) -> None:
    if client is None and source is None:
        raise InputError("name a client and/or a source")


def collect_config(client: Ref | None = None, source: Ref | None = None) -> list[Collected]:
    """Fetch and store what the client (PlentyONE) and/or the source (Magento) offer now."""
    _needs_one(client, source)
    plenty_client = get_client(client) if client is not None else None
    magento_source = get_source(source) if source is not None else None
    found = []
    if plenty_client is not None:
        with open_plenty(plenty_client) as plenty:
            counts = collect_client(plenty_client.id, plenty)
        found.append(Collected("client", plenty_client.name, counts))
    if magento_source is not None:
        with open_magento(magento_source) as magento:
            counts = collect_source(magento_source.id, magento)
        found.append(Collected("source", magento_source.name, counts))
    return found


def forget_config(client: Ref | None = None, source: Ref | None = None) -> list[Forgotten]:
    """Forget what was collected; the profiles of that client or source cannot run until
    it is collected again."""
    _needs_one(client, source)
    gone = []
    if client is not None:
        row = get_client(client)
        gone.append(Forgotten("client", row.name, delete_config("client", row.id)))
    if source is not None:
        store = get_source(source)
        gone.append(Forgotten("source", store.name, delete_config("source", store.id)))
    return gone


def create_referrer(client: Ref, name: str, parent_id: int | None = None) -> Named:
    """Create a referrer in PlentyONE and collect the client's configuration again.

    New contacts get a profile's referrer; PlentyONE keeps the referrer of existing ones.
    """
    row = get_client(client)
    plenty = open_plenty(row)
    try:
        referrer = plenty.reference.create_referrer(name, parent_id=parent_id)
        collect_client(row.id, plenty)
    finally:
        plenty.close()
    return Named(id=referrer.id, name=name)


def connection_checks(
    profile: Ref, *, scan_pages: int = 1, backends: Backends | None = None
) -> ConnectionChecks:
    """Reach the profile's PlentyONE and Magento with reads only (``customer test-connection``).

    ``scan_pages`` bounds the pages of contacts read for the unknown-contacts check.
    """
    row = get_profile(profile)
    report = check_connection(row, scan_pages=scan_pages, backends=backends)
    return ConnectionChecks(row.name, report.ok, tuple(report.checks))
