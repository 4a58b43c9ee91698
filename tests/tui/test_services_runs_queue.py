"""The façade's runs, queue and dry-run calls over a real SQLite database and the sandboxes."""

from __future__ import annotations

import stat

import httpx
import pytest

from core.db.models import Profile, QueueItem
from core.errors import InputError
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from tests.tui.conftest import Demo
from tui.services import RunRequest, Services
from tui.services_runs import describe_filter, parse_run_filter


def opened() -> Services:
    services = Services()
    services.open()
    return services


def test_a_filter_reads_as_typed_and_refuses_unknown_keys() -> None:
    wanted = parse_run_filter("demo status=failed trigger=schedule class=NotFound")
    assert (wanted.profile, wanted.status, wanted.trigger, wanted.error_class) == (
        "demo",
        "failed",
        "schedule",
        "NotFound",
    )
    assert describe_filter(wanted) == ("profile=demo status=failed trigger=schedule class=NotFound")
    assert parse_run_filter("profile=7").profile == 7
    assert describe_filter(parse_run_filter("")) == ""
    with pytest.raises(InputError, match="use profile=, status=, trigger=, class="):
        parse_run_filter("colour=red")


def test_the_queue_board_lists_failures_first_and_counts_them_per_class(demo: Demo) -> None:
    rows = [
        {"profile": demo.profile_id, "entity_type": "customer", "entity_key": str(k)}
        for k in range(1000)
    ] + [
        {
            "profile": demo.profile_id,
            "entity_type": "customer",
            "entity_key": str(5000 + k),
            "status": "failed",
            "last_error_class": "NotFound" if k < 2 else "ValidationError",
        }
        for k in range(5)
    ]
    QueueItem.insert_many(rows).execute()
    services = opened()
    board = services.queue_board(demo.profile_id, limit=50)
    assert [i.status for i in board.items[:5]] == ["failed"] * 5
    assert len(board.items) == 50 and not board.shown_all
    assert board.failed_classes == (("ValidationError", 3), ("NotFound", 2))
    assert (board.stats.total, board.stats.by_status["failed"]) == (1005, 5)
    assert services.count_retry(demo.profile_id, error_class="NotFound") == 2
    assert services.count_retry(demo.profile_id, keys=["5000", "1"]) == 1
    assert services.queue_retry(demo.profile_id, error_class="NotFound") == 2
    queued = services.queue_add(demo.profile_id, "1-3,2000")
    assert (queued.named, queued.new) == (4, 1)
    assert services.queue_remove(demo.profile_id, ["2000", "1"]) == 2
    assert services.queue_clear(demo.profile_id) == 1004
    viewer = Services(viewer=True)
    viewer.open()
    with pytest.raises(Exception, match="viewer mode"):
        viewer.queue_clear(demo.profile_id)


def test_a_run_exports_as_private_csv_and_json(demo: Demo) -> None:
    services = opened()
    run = start_export(Profile.get_by_id(demo.profile_id), RunOptions(entity_ids=[1, 2]))
    InlineExecutor().submit(run)
    detail = services.run_detail(run.id)
    assert [i.action for i in detail.items] == ["created", "created"]
    for fmt in ("csv", "json"):
        path = services.export_run(run.id, fmt)  # type: ignore[arg-type]
        assert path.parent == services.reports_dir()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "customer:1" in path.read_text()


def test_a_live_dry_run_shows_what_we_would_change_field_by_field(demo: Demo) -> None:
    services = opened()
    run = start_export(Profile.get_by_id(demo.profile_id), RunOptions(entity_ids=[1, 2, 3]))
    InlineExecutor().submit(run)
    answer = httpx.patch(
        f"{demo.shop_url}/_sandbox/customers/2", json={"lastname": "Umbenannt"}, timeout=10
    )
    answer.raise_for_status()
    plan = services.dry_run_plan(
        demo.profile_id, RunRequest(entity_ids="1-3,4", dry_run=True, live=True)
    )
    assert plan.live
    by_key = {c.key: c for c in plan.customers}
    assert by_key["1"].label == "unchanged" and by_key["1"].found_by == "link"
    changed = by_key["2"]
    assert changed.action == "update" and changed.label.startswith("update ")
    assert changed.contact_id is not None and changed.found_by == "link"
    (diff,) = [row for row in changed.live if row[0] == "lastName"]
    assert diff[2] == "Umbenannt" and diff[1] not in ("Umbenannt", "(none)")
    assert by_key["4"].action == "create"
    assert dict(plan.counts)["update"] == 1
