"""The configuration collected for a client or a source, shaped for an operator to read.

``customer collect-config`` stores what PlentyONE and Magento offer (``core.config_data``);
the functions here read it back as frozen values that the CLI prints as tables or JSON and the
TUI shows as it likes. Nothing here prints or talks to either API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from core.config_data import collected_at, load_config
from core.db.models import Client, MagentoSource

__all__ = [
    "ClientConfigView",
    "Country",
    "Group",
    "Named",
    "SourceConfigView",
    "StoreView",
    "Website",
    "Webstore",
    "client_config_view",
    "source_config_view",
]


@dataclass(frozen=True)
class Named:
    """A customer class or a referrer: the id a profile names, and its name in PlentyONE."""

    id: int | float
    name: str


@dataclass(frozen=True)
class Webstore:
    """A PlentyONE client; profiles map stores to its ``plenty_id``."""

    id: int
    plenty_id: int
    name: str


@dataclass(frozen=True)
class Country:
    id: int
    iso2: str
    name: str
    states: int


@dataclass(frozen=True)
class Group:
    """A Magento customer group."""

    id: int
    code: str


@dataclass(frozen=True)
class Website:
    id: int
    code: str
    name: str
    default_store_id: int | None


@dataclass(frozen=True)
class StoreView:
    id: int
    code: str
    website_id: int | None
    name: str


@dataclass(frozen=True)
class ClientConfigView:
    """What PlentyONE offers to one client's profiles; empty until it was collected."""

    client_id: int
    client_name: str
    collected_at: dt.datetime | None
    classes: tuple[Named, ...]
    referrers: tuple[Named, ...]
    webstores: tuple[Webstore, ...]
    languages: tuple[str, ...]
    countries: tuple[Country, ...]

    @property
    def collected(self) -> bool:
        return self.collected_at is not None

    @property
    def owner(self) -> str:
        return f"client {self.client_name!r}"

    @property
    def collect_command(self) -> str:
        """The command that collects (or refreshes) this configuration."""
        return f"plentysync customer collect-config --client {self.client_name}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": "client", **asdict(self), "collect_command": self.collect_command}


@dataclass(frozen=True)
class SourceConfigView:
    """What Magento offers to one source's profiles; empty until it was collected."""

    source_id: int
    source_name: str
    collected_at: dt.datetime | None
    groups: tuple[Group, ...]
    websites: tuple[Website, ...]
    store_views: tuple[StoreView, ...]
    address_attributes: tuple[str, ...]

    @property
    def collected(self) -> bool:
        return self.collected_at is not None

    @property
    def owner(self) -> str:
        return f"source {self.source_name!r}"

    @property
    def collect_command(self) -> str:
        return f"plentysync customer collect-config --source {self.source_name}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": "source", **asdict(self), "collect_command": self.collect_command}


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item for item in data.get(kind) or [] if isinstance(item, dict)]


def _number(value: Any) -> int | float:
    """Referrer ids are decimals (``4.01``); whole ones read better as integers."""
    number = float(value)
    return int(number) if number.is_integer() else number


def client_config_view(client: Client) -> ClientConfigView:
    """The classes, referrers, webstores, languages and countries collected for ``client``."""
    data = load_config("client", client.id)
    return ClientConfigView(
        client_id=client.id,
        client_name=client.name,
        collected_at=collected_at("client", client.id),
        classes=tuple(
            Named(int(c["id"]), c.get("name") or "")
            for c in sorted(_items(data, "classes"), key=lambda c: int(c["id"]))
        ),
        referrers=tuple(
            Named(_number(r["id"]), r.get("name") or "")
            for r in sorted(_items(data, "referrers"), key=lambda r: float(r["id"]))
        ),
        webstores=tuple(
            Webstore(int(w.get("id") or 0), int(w["plentyId"]), w.get("name") or "")
            for w in sorted(_items(data, "webstores"), key=lambda w: int(w["plentyId"]))
        ),
        languages=tuple(sorted(str(code) for code in data.get("languages") or [])),
        countries=tuple(
            Country(
                int(c["id"]), c.get("iso2") or "", c.get("name") or "", len(c.get("states") or [])
            )
            for c in sorted(_items(data, "countries"), key=lambda c: int(c["id"]))
        ),
    )


def _attribute_code(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        code = item.get("code") or item.get("attribute_code")
        return str(code) if code else None
    return None


def source_config_view(source: MagentoSource) -> SourceConfigView:
    """The groups, websites, store views and address attribute codes collected for ``source``."""
    data = load_config("source", source.id)
    codes = (_attribute_code(item) for item in data.get("address_attributes") or [])
    return SourceConfigView(
        source_id=source.id,
        source_name=source.name,
        collected_at=collected_at("source", source.id),
        groups=tuple(
            Group(int(g["id"]), g.get("code") or "")
            for g in sorted(_items(data, "groups"), key=lambda g: int(g["id"]))
        ),
        websites=tuple(
            Website(
                int(w["id"]), w.get("code") or "", w.get("name") or "", w.get("default_store_id")
            )
            for w in sorted(_items(data, "websites"), key=lambda w: int(w["id"]))
        ),
        store_views=tuple(
            StoreView(int(v["id"]), v.get("code") or "", v.get("website_id"), v.get("name") or "")
            for v in sorted(_items(data, "store_views"), key=lambda v: int(v["id"]))
        ),
        address_attributes=tuple(sorted({code for code in codes if code})),
    )
