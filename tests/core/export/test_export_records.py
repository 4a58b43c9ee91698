"""One bad Magento record fails alone: a failed customer naming its field, the rest exported."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from core.db.models import GuestKey, Profile, RunItem
from core.emails import normalise_email
from core.mapping import identity
from sandbox.data import DirtyKind
from tests.core.export.conftest import CUSTOMERS, Shop, export

REFUSED_KINDS = {DirtyKind.MARKUP_IN_NAME, DirtyKind.OVERLONG_FIELDS}


def _overwrite(shop: Shop, what: str, number: int, fields: dict[str, Any]) -> None:
    httpx.patch(f"{shop.magento.base_url}/_sandbox/{what}/{number}", json=fields).raise_for_status()


def _items(run_id: int, entity_type: str) -> dict[str, RunItem]:
    query = RunItem.select().where((RunItem.run == run_id) & (RunItem.entity_type == entity_type))
    return {item.entity_key: item for item in query}


def test_each_bad_customer_fails_alone_naming_its_field(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    clean = [i for i in range(1, CUSTOMERS + 1) if not shop.dataset.dirty(i)]
    bad: dict[int, tuple[dict[str, Any], str, str]] = {
        clean[0]: ({"addresses": None}, "addresses", "None"),
        clean[1]: ({"firstname": 42}, "firstname", "42"),
        clean[2]: ({"firstname": "  \t "}, "firstname", r"'  \t '"),
        clean[3]: ({"lastname": "Mül\x00ler"}, "lastname", r"'Mül\x00ler'"),
        clean[4]: ({"firstname": "Jo\nAnn"}, "firstname", r"'Jo\nAnn'"),
        clean[5]: ({"dob": "1985-02-30"}, "dob", "'1985-02-30'"),
        clean[6]: ({"lastname": ""}, "lastname", "''"),
    }
    bidi, marked = clean[7], clean[8]
    for number, (fields, _, _) in bad.items():
        _overwrite(shop, "customers", number, fields)
    _overwrite(shop, "customers", bidi, {"firstname": "\u202eAnna\u202c", "lastname": "Lo\u2066b"})
    _overwrite(shop, "customers", marked, {"lastname": "\u05db\u05d4\u05df\u200f"})

    run = export(profile, guests=False)

    refused = {i for i in range(1, CUSTOMERS + 1) if shop.dataset.dirty(i) & REFUSED_KINDS}
    assert run.status == "done"
    assert run.failed == len(refused) + len(bad)
    assert run.created == CUSTOMERS - run.failed
    items = _items(run.id, "customer")
    assert len(items) == CUSTOMERS
    failed = {int(k) for k, item in items.items() if item.action == "failed"}
    assert failed == refused | set(bad)
    for number, (_, field, shown) in bad.items():
        message = items[str(number)].message
        assert field in message and f"(value {shown})" in message, message

    contacts = {c["externalId"]: c for c in shop.contacts() if c.get("externalId")}
    assert len(contacts) == CUSTOMERS - run.failed
    stripped = contacts[identity("shop-eu", "customer", str(bidi))]
    assert (stripped["firstName"], stripped["lastName"]) == ("Anna", "Lob")
    assert "bidi" in items[str(bidi)].message
    kept = contacts[identity("shop-eu", "customer", str(marked))]
    assert kept["lastName"] == "\u05db\u05d4\u05df\u200f"
    for number in bad:
        assert identity("shop-eu", "customer", str(number)) not in contacts

    # Customers sharing an e-mail across websites are each exported, not a crash or a failure.
    shared = [i for i in range(1, CUSTOMERS + 1) if DirtyKind.SHARED_EMAIL in shop.dataset.dirty(i)]
    assert shared and not (set(shared) - refused) & failed


def _single_guest_orders(shop: Shop) -> list[int]:
    """Guest orders whose buyer (website store, e-mail) ordered only once."""
    orders = [shop.dataset.order(n) for n in range(1, shop.dataset.config.orders + 1)]
    guests = [o for o in orders if o and o.get("customer_is_guest") and o.get("customer_email")]
    buyers = Counter(normalise_email(o["customer_email"]) for o in guests)
    return [o["entity_id"] for o in guests if buyers[normalise_email(o["customer_email"])] == 1]


def test_each_bad_guest_order_fails_alone_naming_its_field(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    first, second, third, *_ = _single_guest_orders(shop)
    _overwrite(shop, "orders", first, {"customer_firstname": 42})
    _overwrite(shop, "orders", second, {"customer_lastname": "Doe\x00"})
    _overwrite(shop, "orders", third, {"billing_address": "not an address"})

    run = export(profile)

    assert run.status == "done"
    keys = {row.latest_order_id: str(row.id) for row in GuestKey.select()}
    items = _items(run.id, "guest")
    assert len(items) == len(keys)
    expected = {
        first: ("firstname", "(value 42)"),
        second: ("lastname", r"(value 'Doe\x00')"),
        third: ("billing_address", "(value 'not an address')"),
    }
    for order, (field, shown) in expected.items():
        item = items[keys[order]]
        assert item.action == "failed" and field in item.message and shown in item.message
    others = [item for key, item in items.items() if key not in {keys[o] for o in expected}]
    assert others and all(item.action == "created" for item in others)


def test_every_crafted_record_exports_or_fails_with_its_data_reason(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    answer = httpx.post(f"{shop.magento.base_url}/_sandbox/crafted", json={"first": 100})
    crafted: dict[str, dict[str, Any]] = answer.raise_for_status().json()["crafted"]

    run = export(profile, guests=False)

    assert run.status == "done"
    assert run.created + run.failed == CUSTOMERS
    items = _items(run.id, "customer")
    for key, expected in crafted.items():
        item, field = items[key], expected["refused_on"]
        if field is None:
            assert item.action == "created", (expected["kind"], item.message)
        else:
            assert item.action == "failed" and field in item.message, (expected["kind"], item)
            assert "(value " in item.message
