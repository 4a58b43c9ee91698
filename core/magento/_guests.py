"""Guest buyers: who ordered without an account, read from orders changed since a cursor.

The pipeline keeps one guest key per (website, normalised e-mail) and updates it from this
stream, so millions of orders are never folded in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from core.emails import normalise_email
from core.magento._cursor import ChangePage, UpdatedCursor
from core.magento._http import MagentoHttp
from core.magento._models import GuestBuyer, OrderAddress
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

    def fetch(self, order_ids: Iterable[int]) -> list[GuestBuyer]:
        """The guest buyers of these orders (e.g. guest keys' latest orders), one call per page.

        Orders Magento no longer has, registered customers' orders and orders without an
        e-mail are absent from the result.
        """
        wanted = sorted(set(order_ids))
        if not wanted:
            return []
        website_of = self._website_of()
        buyers: list[GuestBuyer] = []
        for start in range(0, len(wanted), self._http.config.page_size):
            chunk = wanted[start : start + self._http.config.page_size]
            search = Search(
                filters=(ONLY_GUESTS, Filter("entity_id", ",".join(map(str, chunk)), "in")),
                page_size=len(chunk),
                fields=GUEST_FIELDS,
            )
            items, _ = self._http.search(SEARCH, search)
            buyers += [b for b in (buyer_of(order, website_of) for order in items) if b]
        return sorted(buyers, key=lambda buyer: buyer.order_id)

    def _website_of(self) -> dict[int, int | None]:
        return {view.id: view.website_id for view in self._stores.store_views()}

    def changes(self, cursor: UpdatedCursor) -> Iterator[ChangePage[GuestBuyer]]:
        """Guest buyers of orders changed since ``cursor``, oldest change first.

        An order without an e-mail cannot be keyed and is left out (logged by order id);
        the page's cursor still moves past it. Holds the source's scan lock (per process).
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
                buyers = [buyer_of(order, website_of) for order in page.items]
                yield ChangePage([b for b in buyers if b is not None], page.cursor)


def buyer_of(order: dict[str, Any], website_of: dict[int, int | None]) -> GuestBuyer | None:
    """The guest buyer of one order, or None when the order carries no e-mail."""
    email = normalise_email(order.get("customer_email"))
    if not email:
        log.warning("guest order %s has no e-mail and cannot be exported", order.get("entity_id"))
        return None
    billing = order.get("billing_address")
    billing_address = OrderAddress.model_validate(billing) if isinstance(billing, dict) else None
    store_id = order.get("store_id")
    return GuestBuyer(
        website_id=website_of.get(int(store_id)) if store_id is not None else None,
        store_id=store_id,
        email=email,
        order_id=order["entity_id"],
        increment_id=order.get("increment_id"),
        # Older checkouts left the order's name empty; the billing address has it.
        firstname=order.get("customer_firstname")
        or (billing_address.firstname if billing_address else None),
        lastname=order.get("customer_lastname")
        or (billing_address.lastname if billing_address else None),
        billing_address=billing_address,
        shipping_addresses=_shipping_addresses(order),
        updated_at=order.get("updated_at"),
    )


def _shipping_addresses(order: dict[str, Any]) -> list[OrderAddress]:
    extension = order.get("extension_attributes")
    assignments = extension.get("shipping_assignments") if isinstance(extension, dict) else None
    found: dict[object, OrderAddress] = {}
    for assignment in assignments if isinstance(assignments, list) else []:
        shipping = assignment.get("shipping") if isinstance(assignment, dict) else None
        address = shipping.get("address") if isinstance(shipping, dict) else None
        if isinstance(address, dict):
            parsed = OrderAddress.model_validate(address)
            # Several assignments (split shipments) may point at the same address.
            key = parsed.entity_id if parsed.entity_id is not None else ("unsaved", len(found))
            found.setdefault(key, parsed)
    return list(found.values())
