"""Both sandboxes over real HTTP, a database, and a profile set up as a sysadmin would."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from core.clients import ClientSettings, create_client
from core.db import init_database
from core.db.connection import database
from core.db.models import Profile, Run
from core.export.collect import collect_client, collect_source
from core.export.connections import open_magento, open_plenty
from core.export.inline import execute_inline
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from core.plenty import RetryPolicy, Timeouts
from core.profiles.service import create_profile, parse_settings
from core.settings import reset_settings
from core.sources import SourceCredentials, create_source
from sandbox.data import Dataset, DatasetConfig
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread

CUSTOMERS = 120
SEED = 5
ORDERS = 120

PROFILE: dict[str, Any] = {
    "schedule": {"status": False, "process_batch_size": 50},
    "store": {
        "referrer_id": 1,
        "store_mapping": [
            {"store_id": 3, "plenty_id": 12345, "locale": "de"},
            {"store_id": 5, "plenty_id": 12345, "locale": "fr"},
            {"store_id": "*", "plenty_id": 12345, "locale": "en"},
        ],
    },
    "customer": {
        "create_address": True,
        "default_group": 1,
        "group_mapping": [{"magento_group_id": 2, "plenty_class_id": 2}],
        "account_trigger": "vat_id",
        "gender_mapping": [
            {"prefix": "Mr.", "gender": "male"},
            {"prefix": "Herr", "gender": "male"},
            {"prefix": "Frau", "gender": "female"},
            {"prefix": "Mrs.", "gender": "female"},
        ],
    },
}


@dataclass
class Shop:
    plenty: RunningServer
    magento: RunningServer
    dataset: Dataset

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.plenty.base_url}/_sandbox/stats").json()  # type: ignore[no-any-return]

    def contacts(self) -> list[dict[str, Any]]:
        return httpx.get(f"{self.plenty.base_url}/_sandbox/contacts").json()  # type: ignore[no-any-return]

    def plenty_config(self, patch: dict[str, Any]) -> None:
        httpx.post(f"{self.plenty.base_url}/_sandbox/config", json=patch).raise_for_status()

    def mutate(self, **body: Any) -> dict[str, Any]:
        answer = httpx.post(f"{self.magento.base_url}/_sandbox/mutate", json=body)
        answer.raise_for_status()
        return answer.json()  # type: ignore[no-any-return]


@pytest.fixture(params=["sqlite"])
def export_db(request: pytest.FixtureRequest) -> Iterator[str]:
    """The database the export works on: SQLite, or PostgreSQL where a test asks for it."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    url = request.getfixturevalue("postgres_url")
    os.environ["PLENTYSYNC_DATABASE_URL"] = url
    reset_settings()
    try:
        init_database(announce=False)
        yield url
    finally:
        database.close()
        os.environ.pop("PLENTYSYNC_DATABASE_URL", None)
        reset_settings()


@pytest.fixture
def shop(export_db: str) -> Iterator[Shop]:
    limits = RateLimits(short_read=100_000, short_write=100_000, long_read=10**8, long_write=10**8)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=CUSTOMERS, seed=SEED, orders=ORDERS))
        ) as magento,
    ):
        yield Shop(
            plenty, magento, Dataset(DatasetConfig(customers=CUSTOMERS, seed=SEED, orders=ORDERS))
        )


@pytest.fixture
def make_profile(shop: Shop) -> Callable[..., Profile]:
    def make(changes: dict[str, Any] | None = None, name: str = "eu") -> Profile:
        from core.db.models import Client

        client = Client.get_or_none(Client.name == "erp") or create_client(
            name="erp",
            base_url=shop.plenty.base_url,
            username="api-user",
            password="api-password",
            settings=ClientSettings(
                plan=None, read_per_minute=100_000, write_per_minute=100_000, budget_share=1.0
            ),
        )
        source = create_source(
            name=f"shop-{name}",
            namespace=f"shop-{name}",
            base_url=shop.magento.base_url,
            credentials=SourceCredentials(
                auth_mode="bearer", values={"token": DEFAULT_INTEGRATION_TOKEN}
            ),
        )
        with open_plenty(client) as plenty:
            collect_client(client.id, plenty)
        with open_magento(source) as magento:
            collect_source(source.id, magento)
        document = _merge(PROFILE, changes or {})
        return create_profile(
            name=name, client=client, source=source, settings=parse_settings(document)
        )

    return make


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merge(base.get(key, {}), value) if isinstance(value, dict) else value
    return out


FAST = {
    "timeouts": Timeouts(connect=2.0, read=1.0, write=1.0, pool=2.0),
    "retry": RetryPolicy(attempts=4, base_delay=0.05, max_delay=0.2),
}


def export(profile: Profile, park_seconds: float = 4.0, **options: Any) -> Run:
    run = start_export(profile, RunOptions(**options))
    deps = open_deps(run, **FAST)
    deps.park_delay = dt.timedelta(seconds=park_seconds)
    try:
        return execute_inline(deps, run.id)
    finally:
        close_deps(deps)
