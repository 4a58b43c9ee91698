"""The ``recent_first`` order: most recently changed customers first, resumable, complete."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.db.models import Profile, Run
from core.export import runs
from core.export.connections import open_magento
from core.export.enumerate import enumerate_chunk, run_keys
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from core.magento import TimePosition, UpdatedCursor
from tests.core.export.conftest import CUSTOMERS, Shop

RECENT = {"customer": {"export_order": "recent_first"}}


def _by_recency(profile: Profile) -> list[str]:
    """Every customer, latest ``updated_at`` first, ids ascending inside one second."""
    with open_magento(profile.source) as magento:
        changes = [c for page in magento.customers.changes(UpdatedCursor()) for c in page.items]
    changes.sort(key=lambda c: (-c.updated_at.timestamp(), c.id))
    return [str(c.id) for c in changes]


def _enumerate(run_id: int, chunk: int, chunks: int | None = None) -> bool:
    """Enumerate ``chunks`` chunks (all when None) with fresh deps, as a restarted worker."""
    deps = open_deps(Run.get_by_id(run_id))
    deps.magento.customers._page_size = 4  # many pages and seconds split across them
    try:
        done, taken = False, 0
        while not done and (chunks is None or taken < chunks):
            done = enumerate_chunk(deps, Run.get_by_id(run_id), 3, chunk=chunk)
            taken += 1
        return done
    finally:
        close_deps(deps)


def test_the_scan_by_time_hands_out_every_customer_once_latest_first(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(RECENT)
    expected = _by_recency(profile)
    # The dataset's imports stamp blocks of customers with one second: pages split them.
    with open_magento(profile.source) as magento:
        magento.customers._page_size = 5
        pages = magento.customers.iter_by_time(TimePosition.start())
        got = [str(i) for ids, _ in pages for i in ids]
    assert got == expected
    assert len(got) == CUSTOMERS


def test_a_recent_first_run_enumerates_latest_first_then_catches_up(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(RECENT)
    expected = _by_recency(profile)
    run = start_export(profile, RunOptions(guests=False))
    assert _enumerate(run.id, chunk=10)
    keys = run_keys(run.id)
    # The top second is read again by the catch-up phase (a save in it may come after us).
    top = [k for k in expected if k in keys[CUSTOMERS:]]
    assert keys[:CUSTOMERS] == expected
    assert keys[CUSTOMERS:] == top and len(top) < 5


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_a_crash_between_chunks_neither_skips_nor_repeats_a_customer(
    shop: Shop, make_profile: Callable[..., Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = make_profile(RECENT)
    calm = start_export(profile, RunOptions(guests=False))
    assert _enumerate(calm.id, chunk=9)
    reference = run_keys(calm.id)
    runs.fail_run(calm.id, "done with it")

    run = start_export(profile, RunOptions(guests=False))
    assert not _enumerate(run.id, chunk=9, chunks=3)
    # The fourth chunk dies before its commit: its keys and its cursor are both lost.
    real = runs.add_batches

    def crash(*args: object, **kwargs: object) -> int:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(runs, "add_batches", crash)
    with pytest.raises(RuntimeError):
        _enumerate(run.id, chunk=9, chunks=1)
    monkeypatch.setattr(runs, "add_batches", real)
    assert _enumerate(run.id, chunk=9)
    assert run_keys(run.id) == reference


def test_a_customer_saved_during_the_run_is_not_skipped(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(RECENT)
    expected = _by_recency(profile)
    run = start_export(profile, RunOptions(guests=False))
    assert not _enumerate(run.id, chunk=10, chunks=2)
    taken = run_keys(run.id)
    # Saved now, it jumps above the part already read: only the catch-up can see it.
    waiting = [k for k in expected if k not in taken][-3:]
    shop.mutate(ids=[int(k) for k in waiting], kinds=["name"])
    assert _enumerate(run.id, chunk=10)
    keys = run_keys(run.id)
    assert set(keys) == set(expected)
    # Twice only: the top second, which the catch-up reads again.
    assert {k for k in keys if keys.count(k) > 1} <= set(expected[:4])
    assert len(keys) < CUSTOMERS + 5
    assert keys[-3:] == sorted(waiting, key=int)


def test_the_id_order_stays_the_default(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    run = start_export(profile, RunOptions(guests=False))
    assert _enumerate(run.id, chunk=50)
    assert run_keys(run.id) == [str(i) for i in range(1, CUSTOMERS + 1)]
