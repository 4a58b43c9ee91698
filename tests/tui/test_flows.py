"""Pilot flows against the real database and the sandboxes, in embedded mode."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from core.db.models import Run
from tests.tui.conftest import CUSTOMERS, Demo
from tui.app import PlentysyncApp
from tui.screens.confirm import Confirm
from tui.screens.run_dialog import RunDialog
from tui.screens.run_view import RunViewScreen
from tui.screens.runs import RunsScreen
from tui.services import Services

pytestmark = pytest.mark.anyio


async def until(pilot: object, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition`` holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + timeout
    while not condition():
        if loop.time() > ends:
            pytest.fail("condition not met in time")
        await pilot.pause(0.1)  # type: ignore[attr-defined]


def app_for(services: Services | None = None) -> PlentysyncApp:
    services = services or Services()
    services.open()
    return PlentysyncApp(services, manage_logging=False, stop_timeout=5)


async def test_a_run_from_the_dialog_moves_to_done_and_its_row_shows(demo: Demo) -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.services.mode == "embedded"
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RunViewScreen))
        view = app.screen
        assert isinstance(view, RunViewScreen)
        await until(pilot, lambda: view.progress is not None and view.progress.status == "done")
        assert view.progress is not None
        assert view.progress.done == CUSTOMERS
        assert "done" in str(view.query_one("#run-progress").render())
        await pilot.press("q")
        await until(pilot, lambda: app.screen.id == "dashboard")
        board = app.last_dashboard
        await until(pilot, lambda: app.last_dashboard is not board)
        assert app.last_dashboard is not None
        (row,) = app.last_dashboard.rows
        assert row.last_run_status == "done"
        run = Run.get_by_id(view.run_id)
        assert (run.status, run.trigger) == ("done", "manual")
        # Its history row: the runs screen lists it, done, with every customer counted.
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, RunsScreen) and bool(app.screen.shown))
        runs = app.screen
        assert isinstance(runs, RunsScreen)
        (listed,) = [r for r in runs.shown if r.run == view.run_id]
        assert (listed.status, listed.total) == ("done", CUSTOMERS)
        assert runs.query_one("#runs-table").get_row(str(view.run_id))


async def test_bad_ids_are_refused_in_the_dialog(demo: Demo) -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        await pilot.press(*"5-1")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RunDialog)
        assert "not usable" in str(app.screen.query_one("#ids-error").render())
        assert Run.select().count() == 0


async def test_cancel_asks_first_and_then_cancels(demo: Demo) -> None:
    from core.db.models import Profile
    from core.export.runs import RunOptions
    from core.export.service import start_export

    services = Services()
    services.open()
    # No embedded worker: the run stays open, so there is something to cancel.
    started = start_export(Profile.get_by_id(demo.profile_id), RunOptions())
    app = PlentysyncApp(services, manage_logging=False)
    app.services.start_embedded = lambda: False  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(RunViewScreen(started.id))
        await until(pilot, lambda: isinstance(app.screen, RunViewScreen))
        view = app.screen
        await until(pilot, lambda: getattr(view, "progress", None) is not None)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Cancel run" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await pilot.pause(0.2)
        assert Run.get_by_id(started.id).status == "pending"
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: Run.get_by_id(started.id).status == "cancelled")


async def test_quitting_with_a_run_in_flight_asks_then_stops_the_embedded_worker(
    demo: Demo,
) -> None:
    from core.db.models import Profile
    from core.export.runs import RunOptions
    from core.export.service import start_export

    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        embedded = app.services.embedded
        assert embedded is not None
        await until(pilot, lambda: embedded.running)
        # Open, and left for the sweeper (which waits out its grace): in flight for the guard.
        start_export(Profile.get_by_id(demo.profile_id), RunOptions(), "manual")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "1 run(s) in flight" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await pilot.pause(0.2)
        assert app.is_running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert not embedded.running


async def test_a_dry_run_from_the_dialog_counts_what_it_would_do_and_sends_nothing(
    demo: Demo,
) -> None:
    from tui.screens.dry_run import DryRunScreen

    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        assert app.screen.query_one("#dry-run").value
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DryRunScreen))
        body = str(app.screen.query_one("#dry-head").render())
        assert f"nothing was sent: {CUSTOMERS} create" in body
    assert Run.select().count() == 0


async def test_a_failing_database_is_one_header_line_that_backs_off(demo: Demo) -> None:
    from core.db.connection import database
    from tui.widgets.status_header import StatusHeader

    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        database.execute_sql("DROP TABLE run_item")  # every dashboard poll now fails
        await until(pilot, lambda: app.trouble is not None and "retry in 2 s" in app.trouble)
        header = app.screen.query_one(StatusHeader)
        line = str(header.render())
        assert line.startswith(" ✖ database:") and "run_item" in line
        assert "\n" not in line.strip()
        assert app.is_running


async def test_sighup_ends_the_app_and_stops_the_embedded_worker(demo: Demo) -> None:
    import os
    import signal

    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        embedded = app.services.embedded
        assert embedded is not None and embedded.running
        os.kill(os.getpid(), signal.SIGHUP)
        await until(pilot, lambda: not app.is_running, timeout=10)
    assert not embedded.running


async def test_the_palette_finds_a_profile_a_run_and_an_action(demo: Demo) -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        entries = [text for text, _help, _call in app.services_palette_entries()]
        assert "profile: demo" in entries and "screen: Dashboard" in entries
        actions = [text for text, _help, _call in app.action_entries(app.screen)]
        assert {"action: Run", "action: Dry run", "action: Why", "action: Help"} <= set(actions)
        await pilot.press("colon")
        await pilot.pause(0.3)
        await pilot.press(*"Why")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "text-view")
        assert "demo: not running" in str(app.screen.query_one("VerticalScroll").border_title)


async def test_a_slow_poll_says_how_old_the_data_is(demo: Demo) -> None:
    import time

    from tui.widgets.status_header import StatusHeader

    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        screen: Any = app.screen
        header = screen.query_one(StatusHeader)
        await pilot.press("space")  # updates paused: no poll starts meanwhile
        assert "updates paused" in str(header.render())
        # A poll that has been out for five seconds, as one stuck on a busy database.
        screen._polling, screen.last_shown = True, time.monotonic() - 5
        await pilot.press("space")
        await until(pilot, lambda: "s old" in str(header.render()), timeout=5)
        assert "⌛ data 5 s old" in str(header.render()) or "⌛ data 6 s old" in str(
            header.render()
        )
        screen._polling = False
        screen.poll_now()
        await until(pilot, lambda: "s old" not in str(header.render()), timeout=5)


async def test_a_profile_that_cannot_run_shows_why_and_start_stays_off(demo: Demo) -> None:
    from textual.widgets import Button

    from core.db.models import ConfigData

    ConfigData.delete().where(ConfigData.owner_kind == "client").execute()
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        assert app.last_dashboard is not None
        assert app.last_dashboard.rows[0].state == "not-runnable"
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        problems = app.screen.query_one("#problems")
        await until(pilot, lambda: "not runnable" in str(problems.render()))
        assert "collect-config --client" in str(problems.render())
        assert app.screen.query_one("#start", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
    assert Run.select().count() == 0


async def test_the_viewer_hides_every_key_that_changes_something(demo: Demo) -> None:
    from textual.widgets import Footer

    app = app_for(Services(viewer=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        assert app.services.embedded is None
        footer = app.screen.query_one(Footer)
        await pilot.pause(0.2)
        keys = " ".join(str(child.render()) for child in footer.query("FooterKey"))
        assert "Why" in keys
        assert "Run" not in keys.replace("Run view", "") and "Pause" not in keys
        await pilot.press("x")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, RunDialog)
        assert "viewer" in str(app.screen.query_one("#status-header").render())
