"""One Magento emulator per test module, reset before every test, plus a reference dataset."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.data import Dataset, DatasetConfig
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import RunningServer, serve_in_thread

CONFIG = MagentoSandboxConfig(customers=300, orders=200, seed=11, dirty_share=0.1)


@pytest.fixture(scope="module")
def magento() -> Iterator[RunningServer]:
    with serve_in_thread(create_app(CONFIG)) as server:
        yield server


@pytest.fixture
def reference() -> Dataset:
    """The same dataset the emulator serves, generated independently in the test."""
    return Dataset(
        DatasetConfig(
            customers=CONFIG.customers,
            seed=CONFIG.seed,
            dirty_share=CONFIG.dirty_share,
            orders=CONFIG.orders,
        )
    )


@pytest.fixture
def client(magento: RunningServer) -> Iterator[httpx.Client]:
    """An integration-token client on a freshly reset emulator."""
    with httpx.Client(
        base_url=magento.base_url,
        headers={"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"},
        timeout=30,
    ) as http:
        http.post("/_sandbox/reset").raise_for_status()
        yield http
