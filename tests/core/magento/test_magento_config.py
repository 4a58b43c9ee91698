"""The source configuration refuses settings that cannot work, and names the setting."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.magento import AuthMode, IntegrationBearer, MagentoConfig, OAuth1
from core.secrets import Secret

TOKEN = IntegrationBearer(Secret("t"))


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"base_url": "shop.example.com"}, "base URL"),
        ({"page_size": 301}, "page size"),
        ({"page_size": 0}, "page size"),
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"store_code": "de/../admin"}, "store code"),
    ],
)
def test_unusable_settings_are_config_errors(overrides: dict[str, object], named: str):
    settings: dict[str, object] = {"base_url": "https://shop.example.com", **overrides}
    with pytest.raises(ConfigError, match=named):
        MagentoConfig(credentials=TOKEN, **settings)  # type: ignore[arg-type]


def test_rest_root_and_auth_mode():
    oauth = OAuth1("key", Secret("a"), Secret("b"), Secret("c"))
    config = MagentoConfig("https://shop.example.com/", oauth, store_code="de")

    assert config.rest_root == "https://shop.example.com/rest/de/V1"
    assert config.auth_mode is AuthMode.OAUTH1
    assert MagentoConfig("https://s.test", TOKEN, store_code=None).rest_root == (
        "https://s.test/rest/V1"
    )
    assert config.throttle_key == "https://shop.example.com"
