"""VAT ids: EU numbers by the EU rules, Swiss UIDs by the Swiss one, on accounts and addresses."""

from __future__ import annotations

import dataclasses

import pytest

from core.magento import Customer
from core.mapping import (
    MappingContext,
    PlentyReference,
    customer_addresses,
    map_account,
    map_customer,
)
from core.mapping.checks import checked_vat


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("CHE-116.281.710", None, "CHE116281710"),
        ("che 116 281 710", "DE", "CHE116281710"),
        ("CHE-116.281.710 MWST", "CH", "CHE116281710MWST"),
        ("CHE-116.281.710 TVA", "CH", "CHE116281710TVA"),
        ("116.281.710", "CH", "CHE116281710"),
        ("DE 136 695 976", "CH", "DE136695976"),
        ("DE136695976", None, "DE136695976"),
    ],
)
def test_valid_numbers_are_sent_compact(raw: str, country: str | None, expected: str) -> None:
    assert checked_vat(raw, country) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "country", "reason"),
    [
        ("CHE-116.281.711", "CH", "not a valid Swiss UID"),
        ("CHE-116.281.710 MWSTX", "CH", "not a valid Swiss UID"),
        ("116.281.710", "DE", "not a valid EU VAT number"),
        ("DE000", "CH", "not a valid EU VAT number"),
    ],
)
def test_invalid_numbers_name_the_rule_they_fail(raw: str, country: str, reason: str) -> None:
    vat, problem = checked_vat(raw, country)
    assert vat is None and problem is not None and reason in problem


def _swiss_customer(**address: object) -> Customer:
    return Customer.model_validate(
        {
            "id": 9,
            "email": "einkauf@beispiel.ch",
            "firstname": "Urs",
            "lastname": "Meier",
            "store_id": 3,
            "website_id": 2,
            "group_id": 2,
            "default_billing": "1",
            "addresses": [
                {
                    "id": 1,
                    "company": "Beispiel AG",
                    "country_id": "CH",
                    "street": ["Bahnhofstrasse 1"],
                    "postcode": "8001",
                    "city": "Zürich",
                    **address,
                }
            ],
        }
    )


def test_a_swiss_uid_keys_the_account(ctx: MappingContext) -> None:
    customer = _swiss_customer(vat_id="CHE-116.281.710")
    account, warnings = map_account(customer, ctx, map_customer(customer, ctx))
    assert warnings == [] and account is not None
    assert account.account_key == "vat:CHE116281710"
    assert account.managed["taxIdNumber"] == "CHE116281710"


def test_a_swiss_address_sends_its_uid(ctx: MappingContext) -> None:
    plenty = PlentyReference.from_config({"countries": [{"id": 4, "iso2": "CH", "states": []}]})
    swiss = dataclasses.replace(ctx, plenty=plenty)
    customer = _swiss_customer(vat_id="116.281.710")
    (draft,), warnings = customer_addresses(customer, swiss, map_customer(customer, swiss))
    assert warnings == []
    assert {"typeId": 1, "value": "CHE116281710"} in draft.options
