"""Fixtures of the service tests: both sandboxes with a client and a source on them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.services import connections
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread


@pytest.fixture
def connected(sqlite_db: str) -> Iterator[tuple[str, str]]:
    """A client ``erp`` and a source ``shop`` on both sandboxes; yields their URLs."""
    with (
        serve_in_thread(plenty_app(SandboxConfig())) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=5, seed=1))) as magento,
    ):
        connections.create_client(
            name="erp", base_url=plenty.base_url, username="api-user", password="api-password"
        )
        connections.create_source(
            name="shop",
            namespace="shop",
            base_url=magento.base_url,
            auth_mode="bearer",
            secrets={"token": DEFAULT_INTEGRATION_TOKEN},
        )
        yield plenty.base_url, magento.base_url
