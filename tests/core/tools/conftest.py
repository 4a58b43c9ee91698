"""The export tests' sandboxes and profile factory, shared by the operator tools' tests."""

from tests.core.export.conftest import CUSTOMERS, Shop, export_db, make_profile, shop

__all__ = ["clean_ids", "export_db", "make_profile", "shop"]


def clean_ids(shop: Shop, count: int) -> list[int]:
    """The first ``count`` customer ids whose records the dataset left clean."""
    return [i for i in range(1, CUSTOMERS + 1) if not shop.dataset.dirty(i)][:count]
