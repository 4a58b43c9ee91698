"""A shop read from a merchant's own export: its layout and its customers in Magento's shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sandbox.data.stores import CustomerGroup, ShopLayout, StoreGroup, StoreView, Website


@dataclass(frozen=True)
class ImportedShop:
    """Customers with ids 1..N (synthetic, assigned on import) and the shop they belong to."""

    layout: ShopLayout
    customers: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form; ``from_json`` reads it back."""
        return {"layout": asdict(self.layout), "customers": list(self.customers)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportedShop:
        layout = data["layout"]
        views = tuple(
            StoreView(**{**view, "countries": tuple(view["countries"])})
            for view in layout["store_views"]
        )
        return cls(
            layout=ShopLayout(
                websites=tuple(Website(**w) for w in layout["websites"]),
                store_groups=tuple(StoreGroup(**g) for g in layout["store_groups"]),
                store_views=views,
                customer_groups=tuple(CustomerGroup(**g) for g in layout["customer_groups"]),
            ),
            customers=tuple(data["customers"]),
        )
