"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread


@pytest.fixture
def sandboxes() -> Iterator[tuple[RunningServer, RunningServer]]:
    """Both emulators with a small shop: (PlentyONE, Magento)."""
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=10, seed=3, orders=0))) as shop,
    ):
        yield plenty, shop
