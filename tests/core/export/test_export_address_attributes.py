"""A custom Magento address attribute, mapped to a PlentyONE address option, over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from core.config_data import load_config
from core.db.models import Profile
from core.mapping import identity
from core.profiles.address_fields import ADDRESS_OPTIONS, default_address_mapping
from core.profiles.service import check_runnable
from tests.core.export.conftest import CUSTOMERS, Shop, export

POST_NUMBER = ADDRESS_OPTIONS["postNumber"]


def _post_numbers(shop: Shop) -> dict[int, str]:
    """Clean customers whose default billing address carries a DHL Postnummer, by id."""
    found = {}
    for i in range(1, CUSTOMERS + 1):
        if shop.dataset.dirty(i):
            continue
        for address in shop.dataset.customer(i)["addresses"]:
            custom = {a["attribute_code"]: a["value"] for a in address.get("custom_attributes", [])}
            if address.get("default_billing") and "dhl_post_number" in custom:
                found[i] = custom["dhl_post_number"]
    return found


def test_a_custom_address_attribute_reaches_the_address_option(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    rows = [
        *default_address_mapping(),
        {"magento_field": "dhl_post_number", "plenty_field": "postNumber"},
    ]
    profile = make_profile({"customer": {"address_field_mapping": rows}})
    collected = load_config("source", profile.source_id)["address_attributes"]
    assert {"code": "dhl_post_number", "label": "DHL Postnummer", "custom": True} in collected
    assert check_runnable(profile) == []
    wanted = _post_numbers(shop)
    assert len(wanted) >= 3
    run = export(profile, entity_ids=sorted(wanted), guests=False)
    assert run.status == "done" and run.created == len(wanted)
    contacts = {c["externalId"]: c for c in shop.contacts() if c.get("externalId")}
    for customer_id, number in wanted.items():
        contact = contacts[identity("shop-eu", "customer", str(customer_id))]
        options = [
            o["value"]
            for a in contact["addresses"]
            for o in a["options"]
            if o["typeId"] == POST_NUMBER
        ]
        assert number in options, f"customer {customer_id}: {options}"
