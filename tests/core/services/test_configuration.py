"""Collected configuration through the services, against both sandboxes over HTTP."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.services import configuration
from core.services.profiles import collected_choices, create_profile
from tests.core.services.test_frozen_returns import frozen_value


def test_collected_configuration_becomes_a_profile_forms_choices(
    connected: tuple[str, str],
) -> None:
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
