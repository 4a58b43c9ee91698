"""Pilot flows of the runs, run detail, queue and dry-run screens on a real SQLite database."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest

from core.db.models import Profile, QueueItem, Run, RunItem
from tests.tui.conftest import CUSTOMERS, Demo
from tests.tui.test_flows import app_for, until
from tui.screens.ask import AskText, Choose
from tui.screens.confirm import Confirm
from tui.screens.dry_run import DryRunScreen
from tui.screens.queue import QueueScreen
from tui.screens.run_detail import RunDetailScreen
from tui.screens.run_dialog import RunDialog
from tui.screens.runs import RunsScreen
from tui.services import Services

pytestmark = pytest.mark.anyio

TWO_CLASSES = "ValidationError \u00d73 · NotFound \u00d71"  # the times sign


def quiet_app() -> object:
    services = Services()
    services.open()
    services.start_embedded = lambda: False  # type: ignore[method-assign]
    return app_for(services)


def seed_runs(profile_id: int) -> tuple[int, int]:
    """An older clean run by schedule and a newer manual one with failures of two classes."""
    profile = Profile.get_by_id(profile_id)
    now = dt.datetime(2026, 3, 2, 9, 0)
    clean = Run.create(
        profile=profile,
        trigger="schedule",
        status="done",
        total=3,
        created=3,
        created_at=now - dt.timedelta(hours=2),
    )
    bad = Run.create(
        profile=profile,
        trigger="manual",
        status="done",
        total=6,
        created=2,
        failed=4,
        created_at=now - dt.timedelta(hours=1),
    )
    RunItem.insert_many(
        [
            {
                "run": bad.id,
                "entity_type": "customer",
                "entity_key": str(k),
                "action": "created",
                "seconds": 0.25,
            }
            for k in (1, 2)
        ]
        + [
            {
                "run": bad.id,
                "entity_type": "customer",
                "entity_key": str(k),
                "action": "failed",
                "error_class": "ValidationError",
                "message": "postal code missing",
                "seconds": 0.5,
            }
            for k in (3, 4, 5)
        ]
        + [
            {
                "run": bad.id,
                "entity_type": "customer",
                "entity_key": "6",
                "action": "failed",
                "error_class": "NotFound",
                "message": "no such customer",
            }
        ]
    ).execute()
    return int(clean.id), int(bad.id)


def seed_queue(profile_id: int) -> None:
    """Four failed customers (three ValidationError, one NotFound) and three pending."""
    rows = [
        {
            "profile": profile_id,
            "entity_type": "customer",
            "entity_key": str(k),
            "status": "failed",
            "attempts": 5,
            "last_error_class": cls,
            "last_error_message": msg,
        }
        for k, cls, msg in (
            (11, "ValidationError", "postal code missing"),
            (12, "ValidationError", "postal code missing"),
            (13, "ValidationError", "bad e-mail"),
            (14, "NotFound", "gone"),
        )
    ] + [
        {"profile": profile_id, "entity_type": "customer", "entity_key": str(k)}
        for k in (21, 22, 23)
    ]
    QueueItem.insert_many(rows).execute()


def statuses() -> dict[str, str]:
    return {q.entity_key: q.status for q in QueueItem.select()}


async def test_runs_newest_first_filtered_and_live(demo: Demo) -> None:
    clean, bad = seed_runs(demo.profile_id)
    app = quiet_app()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and bool(app.screen.shown))
        screen = app.screen
        table = screen.query_one("#runs-table")
        assert [r.key.value for r in table.ordered_rows] == [str(bad), str(clean)]
        await pilot.press("slash", *"class=NotFound", "enter")
        await until(pilot, lambda: [r.run for r in screen.shown] == [bad])
        assert "filter: class=NotFound" in str(screen.query_one("#runs-filter-line").render())
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"trigger=schedule", "enter")
        await until(pilot, lambda: [r.run for r in screen.shown] == [clean])
        await pilot.press("escape")
        await until(pilot, lambda: len(screen.shown) == 2)
        # A new run appears on top by the next poll, and the cursor stays on its run.
        table.move_cursor(row=table.get_row_index(str(clean)))
        newer = Run.create(profile=demo.profile_id, trigger="queue", status="running", total=9)
        await until(pilot, lambda: len(screen.shown) == 3, timeout=10)
        assert table.ordered_rows[0].key.value == str(newer.id)
        assert table.current_key == str(clean)


async def test_run_detail_lists_errors_first_and_exports_private_files(
    demo: Demo, tmp_path: object
) -> None:
    _clean, bad = seed_runs(demo.profile_id)
    app = quiet_app()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and bool(app.screen.shown))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RunDetailScreen) and app.screen.detail)
        screen = app.screen
        head = str(screen.query_one("#detail-head").render())
        assert TWO_CLASSES in head
        table = screen.query_one("#detail-items")
        actions = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert actions[:4] == ["✖ failed"] * 4 and actions[4:] == ["created", "created"]
        assert str(table.get_row_at(0)[3]) == "postal code missing"
        await pilot.press("o")
        await until(pilot, lambda: any("written to" in n.message for n in app._notifications))
        await pilot.press("O")
        await until(pilot, lambda: sum("written to" in n.message for n in app._notifications) == 2)
        folder = app.services.reports_dir()
        csv_file, json_file = folder / f"run-{bad}.csv", folder / f"run-{bad}.json"
        for path in (csv_file, json_file):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert any(str(csv_file) in n.message for n in app._notifications)
        lines = csv_file.read_text().splitlines()
        assert lines[0] == "customer,action,error_class,reason,seconds,contact_id"
        assert lines[1].startswith("customer:3,failed,ValidationError,postal code missing")
        document = json.loads(json_file.read_text())
        assert document["error_classes"] == {"ValidationError": 3, "NotFound": 1}
        assert len(document["customers"]) == 6


async def test_retry_failed_by_class_shows_the_count_first(demo: Demo) -> None:
    seed_queue(demo.profile_id)
    app = quiet_app()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.board)
        queue = app.screen
        assert TWO_CLASSES in str(queue.query_one("#queue-stats").render())
        # Failed items come first, whatever their age.
        assert queue.query_one("#queue-items").get_row_at(0)[1] == "11"
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        options = app.screen.query_one("OptionList")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0] == "all failed customers (4)"
        options.highlighted = labels.index("error class ValidationError (3)")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        question = str(app.screen.query_one("#question").render())
        assert "Retry 3 failed customer(s) of error class ValidationError" in question
        await pilot.press("n")
        await pilot.pause(0.2)
        assert list(statuses().values()).count("failed") == 4
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        options = app.screen.query_one("OptionList")
        options.highlighted = 2  # error class ValidationError
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: list(statuses().values()).count("failed") == 1)
        assert statuses()["14"] == "failed" and statuses()["11"] == "pending"
        assert QueueItem.get(QueueItem.entity_key == "11").attempts == 0
        await until(
            pilot,
            lambda: any("3 customer(s) pending again" in n.message for n in app._notifications),
        )
        # One selected customer: the row under the cursor.
        await until(pilot, lambda: queue.board.stats.by_status["failed"] == 1)
        table = queue.query_one("#queue-items")
        table.move_cursor(row=table.get_row_index("14"))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        app.screen.query_one("OptionList").highlighted = 1  # selected: 14
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Retry 1 failed customer(s) among those selected" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press("y")
        await until(pilot, lambda: "failed" not in statuses().values())


async def test_add_remove_and_a_clear_that_needs_the_typed_name(demo: Demo) -> None:
    seed_queue(demo.profile_id)
    app = quiet_app()
    async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("u")  # the selected profile's queue
        await until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.board)
        queue = app.screen
        assert queue.profile_id == demo.profile_id
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press(*"9-5", "enter")
        await pilot.pause(0.2)
        assert "not usable" in str(app.screen.query_one("#ask-error").render())
        await pilot.press("ctrl+a", "ctrl+k", *"30-32,21", "enter")
        await until(pilot, lambda: len(statuses()) == 10)
        await until(pilot, lambda: queue.board.stats.total == 10)
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press("ctrl+a", "ctrl+k", *"30-31", "enter")
        await until(pilot, lambda: len(statuses()) == 8)
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")  # a key is not enough
        await pilot.pause(0.2)
        assert isinstance(app.screen, Confirm)
        await pilot.press(*"clear", "enter")  # the wrong word
        await until(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.pause(0.2)
        assert len(statuses()) == 8
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "All 8 queued customers are dropped" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press(*"demo", "enter")
        await until(pilot, lambda: not statuses())


async def test_a_live_dry_run_shows_each_customers_plan(demo: Demo) -> None:
    app = quiet_app()
    async with app.run_test(size=(120, 40)) as pilot:  # type: ignore[attr-defined]
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        app.screen.query_one("#live").value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DryRunScreen), timeout=60)
        viewer = app.screen
        assert viewer.plan.live
        head = str(viewer.query_one("#dry-head").render())
        assert "(live)" in head and f"nothing was sent: {CUSTOMERS} create" in head
        table = viewer.query_one("#dry-customers")
        assert table.row_count == CUSTOMERS
        first = viewer.plan.customers[0]
        plan = str(viewer.query_one("#dry-plan").render())
        assert f"customer {first.key}: create" in plan
        assert "found by new" in plan or "found by" in plan
        assert "fields we would send:" in plan
        await pilot.press("j")
        await pilot.pause(0.1)
        assert f"customer {viewer.plan.customers[1].key}" in str(
            viewer.query_one("#dry-plan").render()
        )
    assert Run.select().count() == 0


async def test_the_viewer_sees_the_queue_but_cannot_change_it(demo: Demo) -> None:
    from textual.widgets import Footer

    seed_queue(demo.profile_id)
    app = app_for(Services(viewer=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.board)
        await pilot.pause(0.2)
        footer = app.screen.query_one(Footer)
        keys = " ".join(str(child.render()) for child in footer.query("FooterKey"))
        assert "Profile" in keys
        for hidden in ("Add", "Remove", "Retry failed", "Clear", "Mark"):
            assert hidden not in keys
        await pilot.press("C")
        await pilot.press("t")
        await pilot.pause(0.2)
        assert isinstance(app.screen, QueueScreen)
    assert len(statuses()) == 7
