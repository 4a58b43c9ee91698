"""A dataset over an imported shop: its customers only, no orders, mutations still work."""

from __future__ import annotations

from pathlib import Path

from sandbox.data import Dataset, DatasetConfig, MutationKind
from sandbox.rehearsal import import_exports


def _shop(tmp_path: Path) -> Dataset:
    main = tmp_path / "main.csv"
    main.write_text(
        "email,_website,_store,website_id,store_id,group_id,created_at,firstname,lastname\n"
        "a@example.com,eu,eu_de,7,12,1,2020-01-01 10:00:00,Ann,Lee\n"
        "b@example.com,eu,eu_de,7,12,1,2020-01-02 10:00:00,Bo,Li\n",
        encoding="utf-8",
    )
    return Dataset(DatasetConfig(customers=500), imported=import_exports([main]).shop)


def test_serves_the_imported_customers_and_no_orders(tmp_path: Path) -> None:
    dataset = _shop(tmp_path)
    assert list(dataset.ids()) == [1, 2] and dataset.count() == 2
    assert dataset.customer(2)["email"] == "b@example.com"  # type: ignore[index]
    assert dataset.customer(3) is None and not dataset.order_exists(1)
    assert dataset.dirty(1) == frozenset()


def test_every_kind_of_mutation_works_on_the_shops_own_store_ids(tmp_path: Path) -> None:
    dataset = _shop(tmp_path)
    done = dataset.mutate(ids=[1, 2], kinds=[MutationKind.NAME])
    assert [m.customer_id for m in done] == [1, 2]
    assert dataset.customer(1)["lastname"] != "Lee"  # type: ignore[index]
    dataset.mutate(ids=[1], kinds=[MutationKind.GROUP])
    assert dataset.customer(1)["group_id"] == 1  # the shop knows no group but 0 and 1
    dataset.mutate(ids=[1], kinds=[MutationKind.ADDRESS])
    assert len(dataset.customer(1)["addresses"]) == 1  # type: ignore[index]
    dataset.reset()
    assert dataset.customer(1)["lastname"] == "Lee"  # type: ignore[index]
