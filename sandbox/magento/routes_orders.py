"""Orders, the only place Magento keeps guest buyers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.data import ORDER_SUMMARY_FIELDS, Dataset
from sandbox.magento.errors import no_such_entity
from sandbox.magento.routing import path_id, protected, search_response
from sandbox.magento.state import SandboxState

ORDER_RESOURCE = "Magento_Sales::actions_view"


class OrderCollection:
    """The dataset's orders as the search engine sees them."""

    name = "orders"
    id_fields = frozenset({"entity_id"})
    cheap_fields = ORDER_SUMMARY_FIELDS | {"customer_id"}

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @property
    def version(self) -> int:
        # Orders change only when a test overwrites one; the dataset's version covers that.
        return self.dataset.version

    def candidate_ids(self, low: int, high: int | None) -> range:
        last = self.dataset.config.orders if high is None else min(high, self.dataset.config.orders)
        return range(max(low, 1), last + 1)

    def count(self, low: int, high: int | None) -> int:
        return len(self.candidate_ids(low, high))

    def cheap(self, entity_id: int) -> Mapping[str, Any]:
        return self.dataset.order_summary(entity_id)

    def full(self, entity_id: int) -> Mapping[str, Any]:
        return self.dataset.order(entity_id) or {}

    def value(self, record: Mapping[str, Any], field: str) -> Any:
        return record.get(field)


@protected(ORDER_RESOURCE)
async def search_orders(request: Request, state: SandboxState) -> Any:
    dataset = state.dataset
    return search_response(request, state, OrderCollection(dataset), dataset.order)


@protected(ORDER_RESOURCE)
async def get_order(request: Request, state: SandboxState) -> Any:
    number = path_id(request, "order_id", "orderId")
    order = state.dataset.order(number)
    if order is None:
        raise no_such_entity("orderId", number)
    return order


ROUTES = [
    Route("/orders", search_orders, methods=["GET"]),
    Route("/orders/{order_id}", get_order, methods=["GET"]),
]
