"""Collected configuration and a complete profile, as a sysadmin would set them up."""

from __future__ import annotations

from typing import Any

from core.config_data import store_config
from core.db.models import Client, MagentoSource, Schedule

CLIENT_CONFIG: dict[str, Any] = {
    "classes": [{"id": 1, "name": "Endkunde"}, {"id": 2, "name": "Business"}],
    "referrers": [{"id": 1.0, "name": "Manual"}, {"id": 4.01, "name": "Shop DE"}],
    "languages": ["de", "en", "fr"],
    "webstores": [{"id": 0, "plentyId": 1000, "name": "Main"}],
}
SOURCE_CONFIG: dict[str, Any] = {
    "groups": [{"id": 1, "code": "General"}, {"id": 2, "code": "Wholesale"}],
    "websites": [{"id": 1, "code": "base", "name": "Main", "default_store_id": 1}],
    "store_views": [{"id": 1, "code": "en", "website_id": 1, "name": "English"}],
}


def collect(client: Client, source: MagentoSource) -> None:
    for kind, data in CLIENT_CONFIG.items():
        store_config("client", client.id, kind, data)
    for kind, data in SOURCE_CONFIG.items():
        store_config("source", source.id, kind, data)


def complete_settings(schedule: Schedule) -> dict[str, Any]:
    return {
        "schedule": {"schedule_id": schedule.id},
        "store": {
            "referrer_id": 1,
            "store_mapping": [
                {"store_id": 1, "plenty_id": 1000, "locale": "en"},
                {"store_id": "*", "plenty_id": 1000, "locale": "de"},
            ],
            "website_referrers": [{"website_id": 1, "referrer_id": 4.01}],
        },
        "customer": {
            "default_group": 1,
            "group_mapping": [{"magento_group_id": 2, "plenty_class_id": 2}],
        },
    }
