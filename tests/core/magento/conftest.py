"""Fixtures for the Magento source tests: clients on a respx router, no real sleeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from core.magento import Credentials, IntegrationBearer, MagentoConfig, MagentoSource, SourceGate
from core.secrets import Secret

SHOP = "https://shop.test"
REST = f"{SHOP}/rest/all/V1"

MakeSource = Callable[..., MagentoSource]


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the client asked for, instead of waiting."""
    return []


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=REST, assert_all_called=False)


@pytest.fixture
def make_source(router: respx.Router, sleeps: list[float]) -> Iterator[MakeSource]:
    """A client whose requests go to ``router``; keyword arguments override the config."""
    made: list[MagentoSource] = []

    def make(credentials: Credentials | None = None, **overrides: Any) -> MagentoSource:
        config = MagentoConfig(
            base_url=SHOP,
            credentials=credentials or IntegrationBearer(Secret("integration-token")),
            min_interval=0.0,
            **overrides,
        )
        source = MagentoSource(
            config,
            transport=httpx.MockTransport(router.handler),
            gate=SourceGate(config.max_concurrency, config.min_interval),
            sleep=sleeps.append,
        )
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()
