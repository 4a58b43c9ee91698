"""A profile's queue through the services: counts, items, add, remove, retry, clear."""

from __future__ import annotations

import pytest

from core.db.connection import write_transaction
from core.db.models import QueueItem
from core.errors import ConfigError, InputError
from core.services.ids import parse_entity_ids
from core.services.queue import (
    add_to_queue,
    clear_queue,
    count_retryable,
    queue_items,
    queue_stats,
    remove_from_queue,
    retry_failed,
)
from tests.worker.offline import offline_profile


def _fail(profile_id: int, keys: list[str], error_class: str) -> None:
    with write_transaction():
        QueueItem.update(status="failed", last_error_class=error_class).where(
            (QueueItem.profile == profile_id) & QueueItem.entity_key.in_(keys)
        ).execute()


def test_the_queue_is_worked_by_profile_name(sqlite_db: str) -> None:
    profile = offline_profile(name="eu")
    queued = add_to_queue("eu", parse_entity_ids("1-4"))
    assert (queued.named, queued.new, queued.updated) == (4, 4, 0)
    assert add_to_queue(profile.id, ["4", "5"]).updated == 1

    stats = queue_stats("eu")
    assert stats.total == 5 and stats.by_status["pending"] == 5 and stats.due == 5
    assert [e.entity_id for e in queue_items("eu", limit=2)] == ["1", "2"]

    _fail(profile.id, ["1", "2"], "failed")
    _fail(profile.id, ["3"], "conflict")
    assert [e.entity_id for e in queue_items("eu", status="failed")] == ["1", "2", "3"]
    assert count_retryable("eu") == 3
    assert count_retryable("eu", error_class="conflict") == 1
    assert count_retryable("eu", parse_entity_ids("2-3")) == 2
    assert retry_failed("eu", error_class="failed") == 2
    assert count_retryable("eu") == 1

    assert remove_from_queue("eu", parse_entity_ids("5,9")) == 1
    assert clear_queue("eu") == 4
    assert queue_stats("eu").total == 0


def test_a_bad_status_or_profile_is_refused(sqlite_db: str) -> None:
    offline_profile(name="eu")
    with pytest.raises(InputError, match="no queue status 'lost'"):
        queue_items("eu", status="lost")
    with pytest.raises(ConfigError, match="no profile 'nope'"):
        queue_stats("nope")
