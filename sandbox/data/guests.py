"""Orders, mostly from guests: order ``n`` is a pure function of (seed, n).

Some guests come back with the same e-mail (sometimes typed in another letter case) and a
different address; a quarter of the orders belong to registered customers.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sandbox.data.addresses import build_address
from sandbox.data.customers import build_customer, stamp
from sandbox.data.people import email_address, faker_for, name_locale, person_name
from sandbox.data.seeding import fraction, mix, pick_weighted
from sandbox.data.stores import ADDRESS_LOCALES, FRONTEND_STORE_VIEWS, store_view

ORDER_EPOCH = datetime(2022, 6, 1)
ORDER_STEP_SECONDS = 900
_REGISTERED_SHARE = 0.25
_RETURNING_SHARE = 0.3
_SALT = 0x0D3E5
_STORE_WEIGHTS = tuple((view.id, 3 if view.id in (1, 3, 5) else 1) for view in FRONTEND_STORE_VIEWS)
ORDER_SUMMARY_FIELDS = frozenset(
    {"entity_id", "increment_id", "created_at", "updated_at", "customer_is_guest", "store_id"}
)


def _is_registered(seed: int, number: int) -> bool:
    return fraction(mix(seed, number, _SALT)) < _REGISTERED_SHARE


def _is_newcomer(seed: int, number: int) -> bool:
    return number < 3 or fraction(mix(seed, number, _SALT, 1)) >= _RETURNING_SHARE


def _first_order_of_buyer(seed: int, number: int) -> int:
    """The order whose guest first used this buyer's identity (``number`` for newcomers).

    A returning guest points at an earlier newcomer's guest order, never at another
    returning one, so finding the buyer takes a bounded number of steps.
    """
    if _is_newcomer(seed, number):
        return number
    for attempt in range(4):
        earlier = mix(seed, number, _SALT, 2 + attempt) % (number - 1) + 1
        if not _is_registered(seed, earlier) and _is_newcomer(seed, earlier):
            return earlier
    return number


def order_summary(seed: int, number: int, customers: int) -> dict[str, Any]:
    """The fields of order ``number`` that cost no Faker call."""
    value = mix(seed, number, _SALT, 9)
    created = ORDER_EPOCH + timedelta(
        seconds=number * ORDER_STEP_SECONDS + value % ORDER_STEP_SECONDS
    )
    registered = _is_registered(seed, number) and customers > 0
    buyer = _first_order_of_buyer(seed, number)
    summary: dict[str, Any] = {
        "entity_id": number,
        "increment_id": f"{number:09d}",
        "store_id": pick_weighted(mix(seed, buyer, _SALT, 3), _STORE_WEIGHTS),
        "created_at": stamp(created),
        "updated_at": stamp(created + timedelta(seconds=(value >> 32) % 7200)),
        "customer_is_guest": 0 if registered else 1,
    }
    if registered:
        summary["customer_id"] = mix(seed, number, _SALT, 4) % customers + 1
    return summary


def _order_address(
    base: dict[str, Any], kind: str, number: int, email: str, slot: int
) -> dict[str, Any]:
    address = {
        "address_type": kind,
        "entity_id": number * 2 - 1 + slot,
        "parent_id": number,
        "email": email,
        "firstname": base["firstname"],
        "lastname": base["lastname"],
        "street": list(base["street"]),
        "city": base["city"],
        "postcode": base["postcode"],
        "country_id": base["country_id"],
        "telephone": base["telephone"],
    }
    region = base["region"]
    if region["region_id"]:
        address.update(
            region=region["region"],
            region_code=region["region_code"],
            region_id=region["region_id"],
        )
    for optional in ("company", "vat_id", "prefix"):
        if optional in base:
            address[optional] = base[optional]
    if "id" in base and "customer_id" in base and base["customer_id"]:
        address["customer_address_id"] = base["id"]
    return address


def _guest_party(seed: int, number: int, store_id: int) -> tuple[dict[str, Any], str, bool]:
    """The guest's name, e-mail and this order's address; True when names were recorded."""
    buyer = _first_order_of_buyer(seed, number)
    view = store_view(store_id)
    rng = random.Random(mix(seed, buyer, _SALT, 5))
    fake = faker_for(name_locale(view.locale, rng), mix(seed, buyer, _SALT, 6))
    name = person_name(fake, rng, rng.choice((1, 2)), view.locale[:2])
    email = email_address(name, buyer, str(fake.free_email_domain()))
    order_rng = random.Random(mix(seed, number, _SALT, 7))
    if buyer != number and order_rng.random() < 0.3:
        email = email.capitalize()  # the returning guest typed it differently
    # A returning guest ships to a new address with this order's own randomness.
    address_rng = order_rng if buyer != number else rng
    country_id = address_rng.choice(view.countries)
    locale = view.locale if country_id == view.countries[0] else ADDRESS_LOCALES[country_id]
    address_fake = faker_for(locale, mix(seed, number if buyer != number else buyer, _SALT, 8))
    base = build_address(
        address_fake,
        address_rng,
        address_id=0,
        customer_id=0,
        country_id=country_id,
        firstname=name.firstname,
        lastname=name.lastname,
    )
    return base, email, order_rng.random() < 0.85


def build_order(seed: int, number: int, customers: int, dirty_share: float) -> dict[str, Any]:
    """Order ``number`` as ``GET /V1/orders`` lists it."""
    summary = order_summary(seed, number, customers)
    order: dict[str, Any] = dict(summary)
    rng = random.Random(mix(seed, number, _SALT, 10))
    if "customer_id" in summary:
        customer = build_customer(seed, summary["customer_id"], dirty_share)
        email = customer["email"].strip()
        order.update(
            customer_firstname=customer["firstname"], customer_lastname=customer["lastname"]
        )
        order["customer_group_id"] = customer["group_id"]
        base = next(iter(customer["addresses"]), None)
        if base is None:
            fake = faker_for("en_US", mix(seed, number, _SALT, 11))
            base = build_address(
                fake,
                rng,
                address_id=0,
                customer_id=0,
                country_id="US",
                firstname=customer["firstname"],
                lastname=customer["lastname"],
            )
        names_recorded = True
    else:
        base, email, names_recorded = _guest_party(seed, number, summary["store_id"])
        order["customer_group_id"] = 0
        if names_recorded:
            order.update(customer_firstname=base["firstname"], customer_lastname=base["lastname"])
    order["customer_email"] = email
    order.update(state="complete", status="complete", base_currency_code="EUR")
    order["grand_total"] = round(rng.uniform(9.9, 480.0), 2)
    billing = _order_address(base, "billing", number, email, 0)
    shipping = _order_address(base, "shipping", number, email, 1)
    order["billing_address"] = billing
    order["extension_attributes"] = {
        "shipping_assignments": [
            {"shipping": {"address": shipping, "method": "flatrate_flatrate"}, "items": []}
        ]
    }
    return order
