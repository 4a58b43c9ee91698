"""Magento records with missing, empty and oddly typed keys still load."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from core.magento import Customer, GuestBuyer, UnreadableRecord
from core.magento._guests import buyer_of, buyer_or_problem, guest_key_of
from core.magento._records import parse_each

VERONICA = {
    "id": 1,
    "group_id": 1,
    "default_billing": "1",
    "default_shipping": "1",
    "created_at": "2024-03-07 10:15:22",
    "updated_at": "2024-03-07 10:15:24",
    "email": "roni_cost@example.com",
    "firstname": "Veronica",
    "lastname": "Costello",
    "gender": 2,
    "store_id": 1,
    "website_id": 1,
    "addresses": [
        {
            "id": 1,
            "customer_id": 1,
            "region": {"region_code": "MI", "region": "Michigan", "region_id": 33},
            "region_id": 33,
            "country_id": "US",
            "street": ["6146 Honey Bluff Parkway"],
            "telephone": "(555) 229-3326",
            "postcode": "49628-7978",
            "city": "Calder",
            "default_shipping": True,
            "default_billing": True,
        }
    ],
    "disable_auto_group_change": 0,
    "extension_attributes": {"is_subscribed": False},
    "custom_attributes": [{"attribute_code": "loyalty", "value": "gold"}],
}


def test_a_full_customer_loads_with_utc_times_and_address_ids():
    customer = Customer.model_validate(VERONICA)

    assert customer.updated_at == datetime(2024, 3, 7, 10, 15, 24, tzinfo=UTC)
    assert customer.default_billing_id == 1
    assert customer.addresses[0].region is not None
    assert customer.addresses[0].region.region_code == "MI"
    assert customer.addresses[0].default_billing is True
    assert customer.custom_attribute("loyalty") == "gold"
    assert customer.custom_attribute("missing") is None


def test_a_projected_customer_has_only_its_id():
    customer = Customer.model_validate({"id": 7})

    assert customer.email is None
    assert customer.addresses == []
    assert customer.updated_at is None
    assert customer.default_billing_id is None


def test_php_empty_objects_and_newline_streets_are_accepted():
    customer = Customer.model_validate(
        {
            "id": 2,
            "extension_attributes": [],
            "addresses": [{"street": "Hauptstr. 1\nHinterhaus", "region": None}],
        }
    )

    assert customer.extension_attributes == {}
    assert customer.addresses[0].street == ["Hauptstr. 1", "Hinterhaus"]
    assert customer.addresses[0].default_shipping is False


def test_personal_data_stays_out_of_the_repr():
    text = repr(Customer.model_validate(VERONICA))

    for personal in ("roni_cost", "Veronica", "Costello", "Honey Bluff", "229-3326"):
        assert personal not in text
    assert "id=1" in text


ORDER = {
    "entity_id": 15,
    "increment_id": "000000016",
    "store_id": 2,
    "updated_at": "2022-10-30 14:46:16",
    "customer_email": " Guest@Example.com ",
    "customer_is_guest": 1,
    "billing_address": {
        "address_type": "billing",
        "entity_id": 30,
        "firstname": "Test",
        "lastname": "Buyer",
        "street": ["221 Baker Street"],
        "city": "Mumbai",
        "region": "Maharashtra",
        "country_id": "IN",
    },
    "extension_attributes": {
        "shipping_assignments": [
            {"shipping": {"address": {"entity_id": 31, "street": ["1 Main St"]}}},
            {"shipping": {"address": {"entity_id": 31, "street": ["1 Main St"]}}},
            {"shipping": {"method": "flatrate_flatrate"}},
        ]
    },
}


def test_guest_buyer_is_keyed_by_website_and_normalised_email():
    buyer = buyer_of(ORDER, {1: 1, 2: 2})

    assert isinstance(buyer, GuestBuyer)
    assert (buyer.website_id, buyer.email, buyer.order_id) == (2, "guest@example.com", 15)
    assert buyer.increment_id == "000000016"
    # The order itself has no names: they come from the billing address.
    assert (buyer.firstname, buyer.lastname) == ("Test", "Buyer")
    assert buyer.billing_address is not None
    assert buyer.billing_address.region == "Maharashtra"
    assert [a.entity_id for a in buyer.shipping_addresses] == [31]
    assert buyer.updated_at == datetime(2022, 10, 30, 14, 46, 16, tzinfo=UTC)


def test_guest_order_without_email_gives_no_buyer():
    assert buyer_of({**ORDER, "customer_email": "  "}, {2: 2}) is None


def test_an_unreadable_order_is_its_problem_and_still_keys_its_guest(caplog):
    order = {**ORDER, "customer_firstname": 42, "billing_address": "Secretstreet 1"}

    problem = buyer_or_problem(order, {1: 1, 2: 2})
    key = guest_key_of(order, {1: 1, 2: 2})

    assert isinstance(problem, UnreadableRecord)
    assert (problem.record_id, problem.field, problem.value) == (15, "firstname", 42)
    assert isinstance(key, GuestBuyer)
    assert (key.website_id, key.email, key.order_id) == (2, "guest@example.com", 15)
    assert buyer_or_problem({**ORDER, "customer_email": None}, {2: 2}) is None


def test_an_unreadable_value_is_masked_in_the_log(caplog):
    caplog.set_level(logging.WARNING, logger="core.magento")
    [problem] = parse_each(
        Customer, [{"id": "7", "lastname": ["Secretname"]}], key="id", kind="customer"
    )
    [text] = parse_each(Customer, [{"id": 8, "dob": {"Secretdate": 1}}], key="id", kind="customer")
    assert isinstance(problem, UnreadableRecord) and problem.record_id == 7
    assert isinstance(text, UnreadableRecord) and text.field == "dob"
    [nameless] = parse_each(
        Customer, [{"id": None, "lastname": "Secretname\x00"}], key="id", kind="customer"
    )
    assert isinstance(nameless, UnreadableRecord) and nameless.record_id is None
    assert "Secret" not in caplog.text
    assert "customer 7 cannot be read: field lastname (list)" in caplog.text


def test_a_string_value_is_masked_in_the_log(caplog):
    caplog.set_level(logging.WARNING, logger="core.magento")
    [problem] = parse_each(
        Customer, [{"id": 9, "gender": "Secretgender"}], key="id", kind="customer"
    )
    assert isinstance(problem, UnreadableRecord) and problem.value == "Secretgender"
    assert "S***" in caplog.text and "Secretgender" not in caplog.text


def test_a_blank_order_name_falls_back_to_the_billing_address():
    order = {**ORDER, "customer_firstname": "  ", "customer_lastname": "Own"}
    buyer = buyer_of(order, {1: 1, 2: 2})
    assert buyer is not None and (buyer.firstname, buyer.lastname) == ("Test", "Own")
