"""``config show``: the ids a profile may name, read from what collect-config stored."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from core.config_data import store_config
from core.db.models import MagentoSource
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from tests.cli.support import add_client_and_source_in_process, invoke, invoke_ok


@pytest.fixture
def added() -> Iterator[None]:
    """A client and a source on both sandboxes, nothing collected yet."""
    with (
        serve_in_thread(plenty_app(SandboxConfig())) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=5, seed=1))) as magento,
    ):
        add_client_and_source_in_process(plenty.base_url, magento.base_url)
        yield


def test_before_collecting_it_names_the_command_that_collects(added: None) -> None:
    result = invoke("config", "show", "--client", "erp", "--source", "shop")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "client 'erp': nothing collected yet; run "
        "'plentysync customer collect-config --client erp'",
        "source 'shop': nothing collected yet; run "
        "'plentysync customer collect-config --source shop'",
    ]
    document = json.loads(invoke("config", "show", "--client", "erp", "--json").stdout)
    assert document["client"]["collected_at"] is None and document["client"]["webstores"] == []


def test_shows_what_collect_config_stored_as_tables_and_json(added: None) -> None:
    invoke_ok("customer", "collect-config", "--client-id", "erp", "--source-id", "shop")
    document = json.loads(
        invoke_ok("config", "show", "--client", "erp", "--source", "shop", "--json").stdout
    )
    client, source = document["client"], document["source"]
    assert [w["plenty_id"] for w in client["webstores"]] == [12345]
    assert client["classes"] and all(isinstance(c["id"], int) for c in client["classes"])
    assert "de" in client["languages"] and "en" in client["languages"]
    assert any(c["iso2"] == "DE" for c in client["countries"])
    assert client["referrers"] and all("name" in r for r in client["referrers"])
    views = {v["code"]: v for v in source["store_views"]}
    assert views["de_ch"]["id"] == 4
    assert source["groups"] and source["websites"]

    text = invoke_ok("config", "show", "--client", "erp", "--source", "shop").stdout
    assert "plentyId" in text and "12345" in text
    for view in source["store_views"]:
        assert view["code"] in text
    for group in source["groups"]:
        assert group["code"] in text


def test_collected_address_attribute_codes_are_listed(added: None) -> None:
    invoke_ok("customer", "collect-config", "--source-id", "shop")
    shop = MagentoSource.get(MagentoSource.name == "shop")
    store_config("source", shop.id, "address_attributes", [{"code": "pickup_station"}, "floor"])
    text = invoke_ok("config", "show", "--source", "shop").stdout
    assert "address attributes: floor, pickup_station" in text
    document = json.loads(invoke_ok("config", "show", "--source", "shop", "--json").stdout)
    assert document["source"]["address_attributes"] == ["floor", "pickup_station"]


def test_needs_a_client_or_a_source() -> None:
    result = invoke("config", "show")
    assert result.exit_code == 2 and "give --client and/or --source" in result.stderr


def test_profile_create_names_the_known_values_of_a_wrong_one(added: None) -> None:
    invoke_ok("customer", "collect-config", "--client-id", "erp", "--source-id", "shop")
    text = invoke_ok("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
              "--set", "schedule.status=false", "--set", "store.referrer_id=1",
              "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":1000,"locale":"de"}]',
              "--set", "customer.default_group=9").stdout  # fmt: skip
    assert (
        "store.store_mapping[0].plenty_id: plentyId 1000 unknown; known: 12345 (Standard Shop)"
    ) in text
    assert "customer.default_group: PlentyONE customer class 9 unknown; known: 1 (Endkunde)" in text
