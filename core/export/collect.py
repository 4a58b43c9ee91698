"""Collecting reference data: what PlentyONE and Magento offer for a profile's mappings."""

from __future__ import annotations

from typing import Any

from core.config_data import store_config
from core.magento import MagentoSource
from core.plenty import PlentyClient


def collect_client(client_id: int, plenty: PlentyClient) -> dict[str, int]:
    """Fetch classes, referrers, webstores, countries, types; returns how many of each."""
    ref = plenty.reference
    data: dict[str, Any] = {
        "classes": [{"id": c.id, "name": c.name} for c in ref.contact_classes()],
        "referrers": [
            {"id": float(r.id), "name": r.name or r.backendName or ""} for r in ref.referrers()
        ],
        "languages": sorted(ref.languages()),
        "webstores": [
            {"id": w.id, "plentyId": w.storeIdentifier, "name": w.name or ""}
            for w in ref.webstores()
        ],
        "countries": [
            {
                "id": c.id,
                "iso2": (c.isoCode2 or "").upper(),
                "name": c.name or "",
                "states": [
                    {"id": s.id, "code": s.shortcut or s.isoCode or "", "name": s.name or ""}
                    for s in c.states
                ],
            }
            for c in ref.countries(with_states=True)
        ],
        "contact_types": [{"id": t.id, "name": t.name or ""} for t in ref.contact_types()],
        "address_option_types": [
            {"id": t.id, "name": t.name or ""} for t in ref.address_option_types()
        ],
    }
    for kind, value in data.items():
        store_config("client", client_id, kind, value)
    return {kind: len(value) for kind, value in data.items()}


def collect_source(source_id: int, magento: MagentoSource) -> dict[str, int]:
    """Fetch groups, websites (with their default store view), store views, gender labels and
    the address attributes an address-field mapping may read."""
    stores = magento.stores
    groups = stores.store_groups()
    default_store = {g.id: g.default_store_id for g in groups}
    data: dict[str, Any] = {
        "groups": [{"id": g.id, "code": g.code or ""} for g in stores.groups()],
        "websites": [
            {
                "id": w.id,
                "code": w.code or "",
                "name": w.name or "",
                "default_store_id": default_store.get(w.default_group_id or -1),
            }
            for w in stores.websites()
        ],
        "store_views": [
            {"id": v.id, "code": v.code or "", "website_id": v.website_id, "name": v.name or ""}
            for v in stores.store_views()
        ],
        "gender_labels": {str(k): v for k, v in stores.gender_labels().items()},
        "address_attributes": [
            {"code": a.attribute_code, "label": a.frontend_label or "", "custom": a.user_defined}
            for a in stores.address_attributes()
        ],
    }
    for kind, value in data.items():
        store_config("source", source_id, kind, value)
    return {kind: len(value) for kind, value in data.items()}
