"""A run with a limit holds exactly its first N entities, in the order the export enumerates."""

from __future__ import annotations

from collections.abc import Callable

from core.db.models import CustomerLink, Profile, Run, RunItem
from core.export.connections import open_magento
from core.export.enumerate import enumerate_chunk, run_keys
from core.export.runs import RunOptions, add_batches
from core.export.service import close_deps, open_deps, start_export
from tests.core.export.conftest import CUSTOMERS, Shop, export


def _magento_order(profile: Profile) -> list[str]:
    with open_magento(profile.source) as magento:
        return [str(i) for page in magento.customers.iter_ids() for i in page]


def _items(run: Run) -> list[str]:
    return sorted(
        (row.entity_key for row in RunItem.select().where(RunItem.run == run.id)),
        key=lambda key: (len(key), key),
    )


def test_a_limited_export_works_the_first_customers_only(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    first = export(profile, limit=7, guests=False)
    assert first.total == 7
    counted = first.created + first.updated + first.unchanged + first.skipped + first.failed
    assert counted + first.conflicts == 7
    assert _items(first) == _magento_order(profile)[:7]
    assert len(shop.contacts()) == first.created

    linked = {row.entity_key for row in CustomerLink.select().where(CustomerLink.state == "linked")}
    following = export(profile, limit=5, new_only=True, guests=False)
    assert following.total == 5
    assert _items(following) == [k for k in _magento_order(profile) if k not in linked][:5]


def test_a_limit_past_the_customers_takes_only_that_many_guests(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    run = export(make_profile(), limit=CUSTOMERS + 3)
    kinds = [row.entity_type for row in RunItem.select().where(RunItem.run == run.id)]
    assert run.total == CUSTOMERS + 3 == len(kinds)
    assert kinds.count("guest") == 3


def test_the_limit_counts_what_earlier_chunks_enumerated(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    order = _magento_order(profile)
    run = start_export(profile, RunOptions(limit=5, guests=False))
    # As a run resumed after its first chunk leaves it: three keys and the cursor after them.
    add_batches(run.id, order[:3], 2, cursor=f"c:{order[2]}")
    deps = open_deps(run)
    try:
        assert enumerate_chunk(deps, Run.get_by_id(run.id), 2) is True
    finally:
        close_deps(deps)
    assert run_keys(run.id) == order[:5]
    assert Run.get_by_id(run.id).total == 5
