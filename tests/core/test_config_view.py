"""The collected configuration read back as values for the CLI and the TUI."""

from __future__ import annotations

import dataclasses

import pytest

from core.config_data import store_config
from core.config_view import Named, StoreView, Webstore, client_config_view, source_config_view
from tests.core.profiles.fixtures import collect
from tests.core.profiles.test_service import _setup


def test_views_are_sorted_frozen_values_of_what_was_collected(db: str) -> None:
    client, source = _setup()
    assert not client_config_view(client).collected
    assert client_config_view(client).collect_command.endswith("--client erp")
    collect(client, source)
    store_config("client", client.id, "referrers", [{"id": 4.01, "name": "DE"}, {"id": 1.0}])

    view = client_config_view(client)
    assert view.collected and view.webstores == (Webstore(0, 1000, "Main"),)
    assert view.referrers == (Named(1, ""), Named(4.01, "DE"))
    assert view.languages == ("de", "en", "fr")
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.client_name = "other"  # type: ignore[misc]

    shop = source_config_view(source)
    assert shop.store_views == (StoreView(1, "en", 1, "English"),)
    assert shop.address_attributes == ()
    assert list(shop.to_json()["groups"]) == [
        {"id": 1, "code": "General"},
        {"id": 2, "code": "Wholesale"},
    ]
