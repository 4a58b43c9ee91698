"""A deterministic, lazily generated Magento shop: customers, guest orders, dirty records.

Customer ``i`` (ids 1..N) and order ``n`` are pure functions of ``(seed, i)``; nothing is
held in memory except customers changed by ``Dataset.mutate`` and deleted ids::

    ds = Dataset(DatasetConfig(customers=100_000, seed=7, dirty_share=0.05, orders=20_000))
    ds.customer(42)            # dict in Magento's JSON shape, or None when deleted/out of range
    ds.dirty(42)               # frozenset of DirtyKind: how record 42 is broken, if at all
    ds.mutate(10)              # 10 customers change; all share one new updated_at second
    ds.delete(42)              # leaves a gap in the ids
    ds.order(5)                # order 5 (guest or registered)
    ds.craft(["addresses_null", "nul_in_lastname"])  # {id: kind}: see crafted.CRAFTED

``Dataset(config, imported=shop)`` serves the customers of an ``ImportedShop`` (a rehearsal on
a merchant's own export, see ``sandbox.rehearsal``) instead of generated ones, with no orders.
"""

from sandbox.data.crafted import CRAFTED, Crafted
from sandbox.data.customers import SUMMARY_FIELDS, build_customer, customer_summary
from sandbox.data.dataset import Dataset, DatasetConfig, Mutation, MutationKind
from sandbox.data.dirty import DirtyKind, dirty_kinds
from sandbox.data.guests import ORDER_SUMMARY_FIELDS, build_order
from sandbox.data.imported import ImportedShop
from sandbox.data.stores import (
    CUSTOMER_GROUPS,
    DEMO_LAYOUT,
    GENDER_LABELS,
    STORE_GROUPS,
    STORE_VIEWS,
    WEBSITES,
    CustomerGroup,
    ShopLayout,
    StoreGroup,
    StoreView,
    Website,
    store_view_by_code,
)

__all__ = [
    "CRAFTED",
    "CUSTOMER_GROUPS",
    "DEMO_LAYOUT",
    "GENDER_LABELS",
    "ORDER_SUMMARY_FIELDS",
    "STORE_GROUPS",
    "STORE_VIEWS",
    "SUMMARY_FIELDS",
    "WEBSITES",
    "Crafted",
    "CustomerGroup",
    "Dataset",
    "DatasetConfig",
    "DirtyKind",
    "ImportedShop",
    "Mutation",
    "MutationKind",
    "ShopLayout",
    "StoreGroup",
    "StoreView",
    "Website",
    "build_customer",
    "build_order",
    "customer_summary",
    "dirty_kinds",
    "store_view_by_code",
]
