"""Accounts for B2B customers, and field ownership in updates."""

from __future__ import annotations

from typing import Any

import pytest

from core.magento import Customer
from core.mapping import MappingContext, account_key, map_account, map_customer


def b2b(**fields: Any) -> Customer:
    base: dict[str, Any] = {
        "id": 5,
        "email": "buyer@acme.de",
        "firstname": "Bea",
        "lastname": "Buyer",
        "store_id": 3,
        "website_id": 2,
        "group_id": 2,
        "default_billing": "1",
        "addresses": [
            {
                "id": 1,
                "company": " ACME GmbH ",
                "vat_id": "DE 136 695 976",
                "country_id": "DE",
                "street": ["Hof 1"],
            }
        ],
    }
    base.update(fields)
    return Customer.model_validate(base)


def test_vat_id_keys_the_account(ctx: MappingContext) -> None:
    c = b2b()
    account, warnings = map_account(c, ctx, map_customer(c, ctx))
    assert warnings == [] and account is not None
    assert account.account_key == "vat:DE136695976"
    assert account.managed == {"companyName": "ACME GmbH", "taxIdNumber": "DE136695976"}


def test_colleagues_share_an_account(ctx: MappingContext) -> None:
    one, two = b2b(id=5), b2b(id=6, email="other@acme.de")
    keys = {map_account(c, ctx, map_customer(c, ctx))[0].account_key for c in (one, two)}  # type: ignore[union-attr]
    assert len(keys) == 1
    assert account_key(None, "ACME  GmbH", 2) == account_key(None, "acme gmbh", 2)
    assert account_key(None, "ACME GmbH", 2) != account_key(None, "ACME GmbH", 3)


def test_no_account_without_the_trigger(ctx: MappingContext) -> None:
    c = b2b(addresses=[{"id": 1, "company": "ACME", "country_id": "DE", "street": ["Hof 1"]}])
    assert map_account(c, ctx, map_customer(c, ctx))[0] is None


def test_b2b_groups_trigger_without_vat(make_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(customer={"account_trigger": "b2b_groups", "b2b_group_ids": [2]})
    c = b2b(addresses=[{"id": 1, "company": "ACME", "country_id": "DE", "street": ["Hof 1"]}])
    account, _ = map_account(c, ctx, map_customer(c, ctx))
    assert account is not None and account.account_key.startswith("co:2:")


def test_an_invalid_vat_is_reported_and_not_sent(ctx: MappingContext) -> None:
    c = b2b(
        addresses=[
            {"id": 1, "company": "ACME", "vat_id": "DE123", "country_id": "DE", "street": ["Hof 1"]}
        ]
    )
    account, warnings = map_account(c, ctx, map_customer(c, ctx))
    assert account is None and "not a valid EU VAT number" in warnings[0]


def test_company_gender_links_an_account(ctx: MappingContext) -> None:
    c = b2b(
        prefix="Firma",
        addresses=[{"id": 1, "company": "ACME", "country_id": "DE", "street": ["Hof 1"]}],
    )
    contact = map_customer(c, ctx)
    account, _ = map_account(c, ctx, contact)
    assert contact.is_company and account is not None


def test_unchanged_fields_are_not_sent_again(ctx: MappingContext) -> None:
    c = b2b()
    first = map_customer(c, ctx)
    sent = first.fingerprints()
    assert first.update_payload(sent) == {}
    renamed = map_customer(b2b(lastname="Baker"), ctx)
    assert renamed.changes(sent) == ["lastName"]
    assert renamed.update_payload(sent) == {"lastName": "Baker"}
    moved = map_customer(b2b(email="new@acme.de"), ctx)
    payload = moved.update_payload(sent)
    assert set(payload) == {"options"}
    assert "referrerId" not in map_customer(b2b(store_id=1, website_id=1), ctx).update_payload(sent)


@pytest.mark.parametrize(
    ("company", "problem"),
    [("ACME\x00 GmbH", "control character U+0000"), ("<b>ACME</b>", "HTML markup"),
     ("ACME " * 60, "characters long")],
)  # fmt: skip
def test_a_company_name_that_cannot_be_sent_links_no_account(
    ctx: MappingContext, company: str, problem: str
) -> None:
    c = b2b(addresses=[{"id": 1, "company": company, "vat_id": "DE136695976", "country_id": "DE"}])
    account, warnings = map_account(c, ctx, map_customer(c, ctx))
    assert account is None
    assert len(warnings) == 1 and problem in warnings[0] and "no account" in warnings[0]


def test_bidi_overrides_are_removed_from_the_company_name(ctx: MappingContext) -> None:
    c = b2b(addresses=[{"id": 1, "company": "\u202eACME GmbH", "vat_id": "DE136695976"}])
    account, warnings = map_account(c, ctx, map_customer(c, ctx))
    assert account is not None and account.managed["companyName"] == "ACME GmbH"
    assert len(warnings) == 1 and "bidi" in warnings[0]
