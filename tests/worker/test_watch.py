"""The watch: changed customers queued once, the bookmark advanced, deletions reported once."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from core.db.models import QueueItem, RunItem
from core.export import queue
from core.export.connections import open_magento
from core.export.watch import watch_source
from tests.core.export.conftest import export
from tests.worker.conftest import Sandboxes, make_profile


def _queued(profile_id: int) -> set[int]:
    return {
        int(row.entity_key) for row in QueueItem.select().where(QueueItem.profile == profile_id)
    }


def test_watch_queues_changes_since_its_bookmark(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=30)
    profile = make_profile(boxes)
    with open_magento(profile.source) as magento:
        first = watch_source(profile, magento, check_deleted=False)
        assert first.changed == 30 and _queued(profile.id) == set(range(1, 31))
        queue.clear(profile.id)
        assert watch_source(profile, magento, check_deleted=False).changed == 0

        # Changed in one second, all of them: none may be missed, none seen twice.
        boxes.mutate(ids=[4, 9, 17], kinds=["name"])
        assert watch_source(profile, magento, check_deleted=False).changed == 3
        assert _queued(profile.id) == {4, 9, 17}
        boxes.mutate(ids=[22], kinds=["group"])
        assert watch_source(profile, magento, check_deleted=False).changed == 1
        assert _queued(profile.id) == {4, 9, 17, 22}


def test_deleted_customers_are_reported_once(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=12)
    profile = make_profile(boxes)
    export(profile, guests=False, entity_ids=list(range(1, 13)))
    httpx.delete(f"{boxes.magento.base_url}/_sandbox/customers/5").raise_for_status()
    with open_magento(profile.source) as magento:
        found = watch_source(profile, magento, check_deleted=True)
    assert found.deleted == 1 and 5 in _queued(profile.id)
    drained = export(profile, guests=False, queue=True)
    item = RunItem.get((RunItem.run == drained.id) & (RunItem.entity_key == "5"))
    assert item.action == "skipped" and "deleted" in item.message
    queue.clear(profile.id)
    with open_magento(profile.source) as magento:
        assert watch_source(profile, magento, check_deleted=True).deleted == 0
        assert watch_source(profile, magento).deleted == 0  # checked today already
    assert not _queued(profile.id)
