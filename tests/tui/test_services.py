"""The TUI's façade over a real SQLite database and the sandboxes."""

from __future__ import annotations

import pytest

from core.db.models import Profile, QueueItem, Run
from core.errors import ConfigError, InputError
from core.export.service import start_export
from tests.tui.conftest import Demo
from tui.services import RunRequest, Services, parse_ids


def opened(**kwargs: bool) -> Services:
    services = Services(**kwargs)
    services.open()
    return services


def test_a_new_profile_is_idle_with_its_queue_counted(demo: Demo) -> None:
    QueueItem.insert_many(
        [
            {"profile": demo.profile_id, "entity_type": "customer", "entity_key": str(i)}
            for i in range(3)
        ]
        + [
            {
                "profile": demo.profile_id,
                "entity_type": "customer",
                "entity_key": "99",
                "status": "failed",
            }
        ]
    ).execute()
    board = opened().dashboard()
    (row,) = board.rows
    assert (row.name, row.state, row.state_text) == ("demo", "idle", "· idle")
    assert (row.queue_pending, row.queue_failed, row.last_run_id) == (3, 1, None)
    assert len(row.sparkline) == 30
    assert {(m.client, m.kind) for m in board.budgets} == {
        ("demo-erp", "read"),
        ("demo-erp", "write"),
    }
    write = next(m for m in board.budgets if m.kind == "write")
    assert write.minute_limit == round(3000 * 0.6)


def test_a_paused_profile_says_so_and_the_explainer_tells_why(demo: Demo) -> None:
    services = opened()
    services.set_paused(demo.profile_id, True)
    (row,) = services.dashboard().rows
    assert (row.state, row.state_text) == ("paused", "⏸ paused")
    why = services.explain(demo.profile_id)
    assert not why.running
    assert any("paused" in reason for reason in why.reasons)
    assert any("not scheduled" in reason for reason in why.reasons)
    services.set_paused(demo.profile_id, False)
    assert not Profile.get_by_id(demo.profile_id).paused


def test_without_any_worker_a_run_is_refused_not_worked_on_the_screen(demo: Demo) -> None:
    services = opened()
    with pytest.raises(ConfigError, match="no worker runs"):
        services.start_run(demo.profile_id, RunRequest(entity_ids="1-3"))
    assert Run.select().count() == 0


def test_an_open_run_shows_its_progress_and_cancels(demo: Demo) -> None:
    services = opened()
    options = services.run_options(RunRequest(entity_ids="1-3"))
    assert options.entity_ids == [1, 2, 3]
    started = start_export(Profile.get_by_id(demo.profile_id), options)
    progress = services.run_progress(started.id)
    assert (progress.status, progress.open, progress.enumerated) == ("pending", True, False)
    (row,) = services.dashboard().rows
    assert row.run_id == started.id
    assert row.state == "enumerating"
    assert services.cancel_run(started.id).status == "cancelled"
    assert services.run_progress(started.id).resumable


def test_ids_are_validated_and_the_estimate_counts_them(demo: Demo) -> None:
    assert parse_ids("1-3,7") == [1, 2, 3, 7]
    with pytest.raises(InputError, match="ranges such as"):
        parse_ids("a-b")
    services = opened()
    text = services.estimate(demo.profile_id, RunRequest(entity_ids="1-10"))
    assert text.startswith("10 customers")
    assert "no estimate yet" in services.estimate(demo.profile_id, RunRequest())


def test_a_viewer_changes_nothing(demo: Demo) -> None:
    services = opened(viewer=True)
    assert services.mode == "viewer"
    assert not services.can_act
    with pytest.raises(ConfigError, match="viewer"):
        services.start_run(demo.profile_id, RunRequest())
    assert Run.select().count() == 0
    assert not services.start_embedded()


def test_another_serve_holding_the_lock_means_attached(secret_key: None) -> None:
    from core.settings import get_settings
    from worker.serve_lock import serve_lock

    lock = serve_lock(get_settings().home)
    lock.acquire(timeout=0)
    try:
        import threading

        seen: list[str] = []
        # The lock is held by this thread; another thread sees it taken, as another process.
        thread = threading.Thread(target=lambda: seen.append(Services().detect_mode()))
        thread.start()
        thread.join()
    finally:
        lock.release()
    assert seen == ["attached"]
    assert opened().mode == "embedded"
