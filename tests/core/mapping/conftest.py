from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.mapping import MappingContext, PlentyReference, ShopReference
from core.profiles.service import parse_settings

PLENTY = PlentyReference.from_config(
    {
        "classes": [{"id": 1, "name": "Endkunde"}, {"id": 2, "name": "Business"}],
        "referrers": [{"id": 1.0, "name": "Manual"}, {"id": 4.01, "name": "DE"}],
        "languages": ["de", "en", "fr"],
        "countries": [
            {"id": 1, "iso2": "DE", "states": []},
            {"id": 255, "iso2": "DE", "states": []},
            {"id": 2, "iso2": "AT"},
            {"id": 10, "iso2": "FR"},
            {"id": 28, "iso2": "US", "states": [{"id": 5, "code": "CA", "name": "California"}]},
        ],
    }
)
SHOP = ShopReference.from_config(
    {
        "store_views": [
            {"id": 1, "website_id": 1},
            {"id": 3, "website_id": 2},
            {"id": 5, "website_id": 3},
        ],
        "websites": [
            {"id": 1, "default_store_id": 1},
            {"id": 2, "default_store_id": 3},
            {"id": 3, "default_store_id": 5},
        ],
        "gender_labels": {"1": "Male", "2": "Female", "3": "Not Specified"},
    }
)
BASE_SETTINGS: dict[str, Any] = {
    "store": {
        "referrer_id": 1,
        "website_referrers": [{"website_id": 2, "referrer_id": 4.01}],
        "store_mapping": [
            {"store_id": 1, "plenty_id": 1000, "locale": "en"},
            {"store_id": 3, "plenty_id": 2000, "locale": "de"},
        ],
        "is_active_store_filter": True,
    },
    "customer": {
        "create_address": True,
        "default_group": 1,
        "group_mapping": [{"magento_group_id": 2, "plenty_class_id": 2}],
        "gender_mapping": [
            {"prefix": "Mr.", "gender": "male"},
            {"prefix": "Herr", "gender": "male"},
            {"prefix": "Frau", "gender": "female"},
            {"prefix": "Firma", "gender": "company"},
        ],
    },
}


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merge(base.get(key, {}), value) if isinstance(value, dict) else value
    return out


@pytest.fixture
def make_ctx() -> Callable[..., MappingContext]:
    def make(identity_field: str = "externalId", **changes: Any) -> MappingContext:
        settings = parse_settings(_merge(BASE_SETTINGS, changes))
        return MappingContext(
            settings=settings,
            plenty=PLENTY,
            shop=SHOP,
            namespace="shop-eu",
            identity_field=identity_field,
        )  # type: ignore[arg-type]

    return make


@pytest.fixture
def ctx(make_ctx: Callable[..., MappingContext]) -> MappingContext:
    return make_ctx()
