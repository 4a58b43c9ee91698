"""Guest buyers: who ordered without an account, read from orders changed since a cursor.

The pipeline keeps one guest key per (website, normalised e-mail) and updates it from this
stream, so millions of orders are never folded in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from core.emails import normalise_email
from core.magento._cursor import ChangePage, UpdatedCursor
from core.magento._http import MagentoHttp
from core.magento._models import GuestBuyer, OrderAddress
from core.magento._records import UnreadableRecord, parse_one, raw_id
from core.magento._scan import scan_changes
from core.magento._search import Filter, Search
from core.magento._stores import StoreReader

log = logging.getLogger("core.magento")

SEARCH = "orders"
# Only what a guest key needs; an order with its items is many kilobytes.
GUEST_FIELDS = (
    "items[entity_id,increment_id,store_id,updated_at,customer_email,customer_firstname,"
    "customer_lastname,customer_is_guest,billing_address,"
    "extension_attributes[shipping_assignments[shipping[address]]]],total_count"
)
ONLY_GUESTS = Filter("customer_is_guest", "1", "eq")


class GuestReader:
    """Guest buyers of one shop, from ``/V1/orders``."""

    def __init__(self, http: MagentoHttp, stores: StoreReader) -> None:
        self._http = http
        self._stores = stores

    def read(self, order_ids: Iterable[int]) -> list[GuestBuyer | UnreadableRecord]:
        """The guest buyers of these orders (e.g. guest keys' latest orders), one call per page.

        Each order is read on its own: one that cannot be read comes back as an
        ``UnreadableRecord`` (order id, field, value). Orders Magento no longer has,
        registered customers' orders and orders without an e-mail are absent.
        """
        wanted = sorted(set(order_ids))
        if not wanted:
            return []
        website_of = self._website_of()
        buyers: list[GuestBuyer | UnreadableRecord] = []
        for start in range(0, len(wanted), self._http.config.page_size):
            chunk = wanted[start : start + self._http.config.page_size]
            search = Search(
                filters=(ONLY_GUESTS, Filter("entity_id", ",".join(map(str, chunk)), "in")),
                page_size=len(chunk),
                fields=GUEST_FIELDS,
            )
            items, _ = self._http.search(SEARCH, search)
            buyers += [b for b in (buyer_or_problem(order, website_of) for order in items) if b]
        return sorted(buyers, key=_order_id)

    def fetch(self, order_ids: Iterable[int]) -> list[GuestBuyer]:
        """The readable guest buyers of these orders, in order id order."""
        return [b for b in self.read(order_ids) if isinstance(b, GuestBuyer)]

    def _website_of(self) -> dict[int, int | None]:
        return {view.id: view.website_id for view in self._stores.store_views()}

    def changes(self, cursor: UpdatedCursor) -> Iterator[ChangePage[GuestBuyer]]:
        """Guest buyers of orders changed since ``cursor``, oldest change first.

        An order without an e-mail cannot be keyed and is left out (logged by order id);
        the page's cursor still moves past it. An order with another unreadable field is
        still keyed, so its guest is exported, or reported with the field to fix. Holds
        the source's scan lock (per process).
        """
        website_of = self._website_of()
        with self._http.gate.enumeration(self._http.config.enumeration_wait, "guest orders"):
            for page in scan_changes(
                lambda search: self._http.search(SEARCH, search),
                cursor,
                page_size=self._http.config.page_size,
                key="entity_id",
                fields=GUEST_FIELDS,
                filters=(ONLY_GUESTS,),
            ):
                buyers = [_buyer_or_key(order, website_of) for order in page.items]
                yield ChangePage([b for b in buyers if b is not None], page.cursor)


def buyer_of(order: dict[str, Any], website_of: dict[int, int | None]) -> GuestBuyer | None:
    """The guest buyer of one order, or None when the order carries no e-mail.

    Raises pydantic's ``ValidationError`` when a field of the order cannot be read.
    """
    email = _email_of(order)
    if not email:
        return None
    buyer = GuestBuyer.model_validate(
        {
            **_key_fields(order, website_of, email),
            "increment_id": order.get("increment_id"),
            "firstname": order.get("customer_firstname"),
            "lastname": order.get("customer_lastname"),
            "billing_address": _no_empty_object(order.get("billing_address")),
            "shipping_addresses": _shipping_addresses(order),
        }
    )
    billing = buyer.billing_address
    shipping: dict[object, OrderAddress] = {}
    for address in buyer.shipping_addresses:
        # Several assignments (split shipments) may point at the same address.
        key = address.entity_id if address.entity_id is not None else ("unsaved", len(shipping))
        shipping.setdefault(key, address)
    return buyer.model_copy(
        update={
            # Older checkouts left the order's name empty; the billing address has it.
            "firstname": _filled(buyer.firstname) or (billing.firstname if billing else None),
            "lastname": _filled(buyer.lastname) or (billing.lastname if billing else None),
            "shipping_addresses": list(shipping.values()),
        }
    )


def _filled(text: str | None) -> str | None:
    return text if text and text.strip() else None


def _no_empty_object(value: Any) -> Any:
    # PHP serialises an empty object as [], so "no address" may arrive as a list.
    return None if value == [] else value


def buyer_or_problem(
    order: dict[str, Any], website_of: dict[int, int | None]
) -> GuestBuyer | UnreadableRecord | None:
    """``buyer_of``, with an order that cannot be read returned as its problem."""
    return parse_one(partial(buyer_of, order, website_of), order, "entity_id", "order")


def guest_key_of(order: dict[str, Any], website_of: dict[int, int | None]) -> GuestBuyer | None:
    """Only what keys a guest (website, e-mail, order, time), for an order not fully readable.

    The guest key is kept, so the export reads the order again and reports what to fix.
    """
    email = _email_of(order)
    if not email:
        return None
    found = parse_one(
        partial(GuestBuyer.model_validate, _key_fields(order, website_of, email)),
        order,
        "entity_id",
        "order",
    )
    return found if isinstance(found, GuestBuyer) else None


def _email_of(order: dict[str, Any]) -> str:
    raw = order.get("customer_email")
    email = normalise_email(raw) if isinstance(raw, str) else ""
    if not email:
        log.warning("guest order %s has no e-mail and cannot be exported", order.get("entity_id"))
    return email


def _key_fields(
    order: dict[str, Any], website_of: dict[int, int | None], email: str
) -> dict[str, Any]:
    store_id = order.get("store_id")
    store = raw_id(order, "store_id")
    return {
        "website_id": website_of.get(store) if store is not None else None,
        "store_id": store_id,
        "email": email,
        "order_id": order.get("entity_id"),
        "updated_at": order.get("updated_at"),
    }


def _shipping_addresses(order: dict[str, Any]) -> list[Any]:
    """The raw shipping addresses of an order's shipping assignments."""
    extension = order.get("extension_attributes")
    assignments = extension.get("shipping_assignments") if isinstance(extension, dict) else None
    found: list[Any] = []
    for assignment in assignments if isinstance(assignments, list) else []:
        shipping = assignment.get("shipping") if isinstance(assignment, dict) else None
        address = shipping.get("address") if isinstance(shipping, dict) else None
        if _no_empty_object(address) is not None:
            found.append(address)
    return found


def _buyer_or_key(order: dict[str, Any], website_of: dict[int, int | None]) -> GuestBuyer | None:
    found = buyer_or_problem(order, website_of)
    return guest_key_of(order, website_of) if isinstance(found, UnreadableRecord) else found


def _order_id(buyer: GuestBuyer | UnreadableRecord) -> int:
    return buyer.order_id if isinstance(buyer, GuestBuyer) else (buyer.record_id or 0)
