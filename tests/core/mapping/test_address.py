"""Addresses: writable fields, street lines, countries, states, options, relations."""

from __future__ import annotations

from typing import Any

import pytest

from core.magento import Customer, GuestBuyer
from core.mapping import (
    BILLING,
    DELIVERY,
    MappingContext,
    customer_addresses,
    guest_addresses,
    map_customer,
)


def customer(addresses: list[dict[str, Any]], **fields: Any) -> Customer:
    base: dict[str, Any] = {
        "id": 42,
        "email": "jane@example.com",
        "firstname": "Jane",
        "lastname": "Doe",
        "store_id": 1,
        "website_id": 1,
        "addresses": addresses,
    }
    base.update(fields)
    return Customer.model_validate(base)


def address(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 7,
        "firstname": "Jane",
        "lastname": "Doe",
        "country_id": "DE",
        "street": ["Hauptstr. 12a"],
        "postcode": "10115",
        "city": "Berlin",
    }
    base.update(fields)
    return base


def drafts(c: Customer, ctx: MappingContext):  # type: ignore[no-untyped-def]
    return customer_addresses(c, ctx, map_customer(c, ctx))


def test_writable_fields_and_house_number(ctx: MappingContext) -> None:
    c = customer(
        [address(company="ACME", telephone="030 1", vat_id="DE136695976")], default_billing="7"
    )
    (billing,), warnings = drafts(c, ctx)
    assert warnings == []
    assert billing.type_id == BILLING and billing.is_primary
    assert billing.managed == {
        "name2": "Jane",
        "name3": "Doe",
        "address1": "Hauptstr.",
        "address2": "12a",
        "town": "Berlin",
        "postalCode": "10115",
        "countryId": 1,
        "name1": "ACME",
    }
    assert {"typeId": 2, "value": "shop-eu:a:7"} in billing.options
    assert {"typeId": 1, "value": "DE136695976"} in billing.options
    assert {"typeId": 4, "value": "030 1"} in billing.options


@pytest.mark.parametrize(
    ("lines", "country", "expected"),
    [
        (
            ["12 Main Street", "Suite 5"],
            "US",
            {"address1": "12 Main Street", "address3": "Suite 5"},
        ),
        (
            ["Kerkstraat 12", "2e verdieping", "achterom"],
            "DE",
            {
                "address1": "Kerkstraat",
                "address2": "12",
                "address3": "2e verdieping",
                "address4": "achterom",
            },
        ),
        (["Straße des 17. Juni 135"], "DE", {"address1": "Straße des 17. Juni 135"}),
        (["  Rue   de la Paix 5 bis "], "FR", {"address1": "Rue de la Paix 5 bis"}),
    ],
)
def test_street_lines(
    ctx: MappingContext, lines: list[str], country: str, expected: dict[str, str]
) -> None:
    iso = {"US": "US", "DE": "DE", "FR": "FR"}[country]
    (draft,), _ = drafts(
        customer([address(street=lines, country_id=iso)], default_billing="7"), ctx
    )
    got = {k: v for k, v in draft.managed.items() if k.startswith("address")}
    assert got == expected


def test_region_becomes_a_state_id(ctx: MappingContext) -> None:
    a = address(
        country_id="US",
        region={"region_code": "CA", "region": "California"},
        street=["1 Infinite Loop"],
    )
    (draft,), _ = drafts(customer([a], default_billing="7"), ctx)
    assert draft.managed["stateId"] == 5 and draft.managed["countryId"] == 28


@pytest.mark.parametrize(
    ("fields", "warning"),
    [
        ({"country_id": "XX"}, "country XX is not in PlentyONE's country table"),
        ({"country_id": None}, "country (empty)"),
        ({"street": ["  "]}, "the street is empty"),
        ({"vat_id": "DE000"}, "not a valid EU VAT number"),
    ],
)
def test_dirty_addresses_are_reported(
    ctx: MappingContext, fields: dict[str, Any], warning: str
) -> None:
    result, warnings = drafts(customer([address(**fields)], default_billing="7"), ctx)
    assert any(warning in w for w in warnings), warnings
    if "vat_id" in fields:
        assert result and all(o["typeId"] != 1 for o in result[0].options)
    else:
        assert result == []


def test_relations_follow_the_defaults(ctx: MappingContext) -> None:
    c = customer(
        [
            address(id=7),
            address(id=8, street=["Nebenweg 3"]),
            address(id=9, street=["Dritter Weg 4"]),
        ],
        default_billing="7",
        default_shipping="7",
    )
    result, _ = drafts(c, ctx)
    relations = sorted((d.address_key, d.type_id, d.is_primary) for d in result)
    assert relations == [
        ("7", BILLING, True),
        ("7", DELIVERY, True),
        ("8", DELIVERY, False),
        ("9", DELIVERY, False),
    ]


def test_other_addresses_can_be_left_out(make_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(customer={"other_addresses": "skip"})
    c = customer([address(id=7), address(id=8)], default_billing="7")
    assert [(d.address_key, d.type_id) for d in drafts(c, ctx)[0]] == [("7", BILLING)]


def test_create_address_off_sends_no_address(make_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(customer={"create_address": False})
    assert drafts(customer([address()], default_billing="7"), ctx) == ([], [])


def test_guest_addresses_billing_and_distinct_deliveries(ctx: MappingContext) -> None:
    bill = address(street=["Weg 1"])
    ship = address(street=["Lager 2"])
    buyer = GuestBuyer.model_validate(
        {
            "website_id": 1,
            "store_id": 1,
            "email": "g@example.com",
            "order_id": 3,
            "billing_address": bill,
            "shipping_addresses": [ship, dict(ship), bill],
        }
    )
    from core.mapping import map_guest

    contact = map_guest(buyer, ctx)
    result, _ = guest_addresses(buyer, ctx, contact)
    kinds = [(d.type_id, d.is_primary) for d in result]
    assert kinds == [(BILLING, True), (DELIVERY, True), (DELIVERY, False)]
    assert result[0].address_key == result[2].address_key


def test_tabs_and_line_breaks_in_a_street_line_count_as_spaces(ctx: MappingContext) -> None:
    found, warnings = drafts(
        customer([address(street=["Haupt-\nstr.\t 12a", "Hinterhaus\r\n"])]), ctx
    )
    assert found[0].managed["address1"] == "Haupt- str."
    assert found[0].managed["address2"] == "12a"
    assert found[0].managed["address3"] == "Hinterhaus"
    assert warnings == []


@pytest.mark.parametrize(
    "fields",
    [{"street": ["Haupt\x00str. 12"]}, {"city": "Ber\x07lin"}, {"city": "Ber\nlin"}],
)
def test_a_control_character_leaves_the_address_out_with_a_warning(
    ctx: MappingContext, fields: dict[str, Any]
) -> None:
    found, warnings = drafts(customer([address(**fields)]), ctx)
    assert found == []
    assert len(warnings) == 1 and "control character" in warnings[0]
    assert "the address was not sent" in warnings[0]


def test_bidi_overrides_in_an_address_are_stripped_with_a_warning(ctx: MappingContext) -> None:
    found, warnings = drafts(
        customer([address(street=["\u202eHauptstr. 12a"], city="Ber\u202dlin")]), ctx
    )
    assert found[0].managed["address1"] == "Hauptstr." and found[0].managed["town"] == "Berlin"
    assert len(warnings) == 2 and all("bidi" in w for w in warnings)
