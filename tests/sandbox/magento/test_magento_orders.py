"""Orders over real HTTP: guests, returning guests, registered buyers, projections."""

from __future__ import annotations

from collections import defaultdict

import httpx

from sandbox.data import Dataset
from tests.sandbox.magento.support import search


def _guests(client: httpx.Client) -> list[dict]:
    response = search(
        client,
        [("customer_is_guest", "1", "eq")],
        sort=[("entity_id", "ASC")],
        path="/rest/V1/orders",
    )
    assert response.status_code == 200
    return response.json()["items"]


def test_guest_orders_have_no_customer_and_carry_both_addresses(client: httpx.Client) -> None:
    guests = _guests(client)
    assert 100 < len(guests) < 200
    for order in guests:
        assert order["customer_is_guest"] == 1
        assert "customer_id" not in order
        assert order["customer_group_id"] == 0
        assert order["billing_address"]["address_type"] == "billing"
        shipping = order["extension_attributes"]["shipping_assignments"][0]["shipping"]
        assert shipping["address"]["address_type"] == "shipping"
        assert isinstance(order["billing_address"]["street"], list)


def test_some_guests_lack_names_on_the_order(client: httpx.Client) -> None:
    guests = _guests(client)
    nameless = [o for o in guests if "customer_firstname" not in o]
    assert nameless
    assert all(o["billing_address"]["firstname"] for o in nameless)


def test_returning_guests_reuse_their_email_with_other_addresses(client: httpx.Client) -> None:
    by_email: dict[str, list[dict]] = defaultdict(list)
    for order in _guests(client):
        by_email[order["customer_email"].lower()].append(order)
    returning = [orders for orders in by_email.values() if len(orders) > 1]
    assert returning
    assert any(
        len({tuple(o["billing_address"]["street"]) for o in orders}) > 1 for orders in returning
    )


def test_registered_orders_point_at_existing_customers(
    client: httpx.Client, reference: Dataset
) -> None:
    response = search(client, [("customer_is_guest", "0", "eq")], path="/rest/V1/orders")
    orders = response.json()["items"]
    assert orders
    for order in orders:
        customer = reference.customer(order["customer_id"])
        assert customer is not None
        assert order["customer_email"] == customer["email"].strip()


def test_orders_support_fields_and_incremental_filters(client: httpx.Client) -> None:
    response = search(
        client,
        [("updated_at", "2022-06-02 00:00:00", "gteq")],
        sort=[("updated_at", "ASC"), ("entity_id", "ASC")],
        page_size=10,
        path="/rest/V1/orders",
        extra={"fields": "items[entity_id,customer_email,billing_address[city]],total_count"},
    )
    body = response.json()
    assert set(body) == {"items", "total_count"}
    assert len(body["items"]) == 10
    assert all(set(o) == {"entity_id", "customer_email", "billing_address"} for o in body["items"])
    assert body["total_count"] < 200


def test_single_order_and_unknown_order(client: httpx.Client, reference: Dataset) -> None:
    assert client.get("/rest/V1/orders/7").json() == reference.order(7)
    assert client.get("/rest/V1/orders/201").status_code == 404
