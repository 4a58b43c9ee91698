"""A small real dataset for the TUI: the demo's client, source and profile on the sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet

from cli.demo import set_up_demo
from core.clients import ClientSettings
from core.db import init_database
from core.settings import reset_settings
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread

CUSTOMERS = 24


@dataclass(frozen=True)
class Demo:
    profile_id: int
    plenty_url: str
    shop_url: str


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio, as Textual does (anyio's pytest plugin drives them)."""
    return "asyncio"


@pytest.fixture
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", Fernet.generate_key().decode())
    reset_settings()
    init_database(announce=False)


@contextmanager
def demo_on_sandboxes(
    customers: int = CUSTOMERS, read_per_minute: int = 6000, write_per_minute: int = 3000
) -> Iterator[Demo]:
    """The demo profile over loopback HTTP, its client paced at the given budget."""
    limits = RateLimits(short_read=6000, short_write=3000, long_read=10**8, long_write=10**8)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=customers, seed=7, orders=0))
        ) as shop,
    ):
        settings = ClientSettings(
            plan=None, read_per_minute=read_per_minute, write_per_minute=write_per_minute
        )
        profile, _ = set_up_demo(plenty.base_url, shop.base_url, settings)
        yield Demo(profile.id, plenty.base_url, shop.base_url)


@pytest.fixture
def demo(secret_key: None) -> Iterator[Demo]:
    """The demo profile over loopback HTTP, with a shop of ``CUSTOMERS`` customers."""
    with demo_on_sandboxes() as found:
        yield found
