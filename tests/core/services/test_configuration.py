"""Collected configuration through the services, against both sandboxes over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.errors import InputError
from core.services import configuration, connections
from core.services.profiles import collected_choices, create_profile
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from tests.core.services.test_frozen_returns import frozen_value


@pytest.fixture
def connected(sqlite_db: str) -> Iterator[None]:
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
        yield


def test_collected_configuration_becomes_a_profile_forms_choices(connected: None) -> None:
    found = configuration.collect_config("erp", "shop")
    assert frozen_value(found)
    assert [(c.kind, c.name) for c in found] == [("client", "erp"), ("source", "shop")]
    assert found[0].counts["classes"] > 0 and found[1].counts["groups"] > 0

    referrer = configuration.create_referrer("erp", "Magento DE")
    assert frozen_value(referrer) and referrer.name == "Magento DE"

    create_profile("eu", "erp", "shop")
    choices = collected_choices("eu")
    assert choices.collected
    assert "Magento DE" in [r.name for r in choices.client.referrers]
    assert choices.source.groups

    forgotten = configuration.forget_config(source="shop")
    assert [(f.kind, f.kinds > 0) for f in forgotten] == [("source", True)]
    assert not collected_choices("eu").collected


def test_collecting_needs_a_client_or_a_source(sqlite_db: str) -> None:
    with pytest.raises(InputError):
        configuration.collect_config()
