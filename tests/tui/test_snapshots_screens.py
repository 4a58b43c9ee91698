"""Snapshots of the runs, run detail, queue and dry-run screens at 80x24 (seeded, frozen)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import Demo
from tests.tui.snapshot import assert_snapshot, settled_screenshot
from tests.tui.test_flows import until
from tests.tui.test_snapshots import frozen_app, seed
from tui.screens.dry_run import DryRunScreen
from tui.screens.run_detail import RunDetailScreen
from tui.services import RunRequest

pytestmark = pytest.mark.anyio


async def test_runs(demo: Demo) -> None:
    seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        await pilot.press("2")
        await until(pilot, lambda: app.screen.id == "runs" and len(app.screen.shown) == 2)
        svg = await settled_screenshot(pilot, app, "plentysync runs")
    assert_snapshot(svg, "runs-80x24")


async def test_run_detail(demo: Demo) -> None:
    run_id = seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        app.push_screen(RunDetailScreen(run_id))
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        svg = await settled_screenshot(pilot, app, "plentysync run detail")
    assert_snapshot(svg, "run-detail-80x24")


async def test_queue(demo: Demo) -> None:
    seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        await pilot.press("3")
        await until(pilot, lambda: getattr(app.screen, "board", None) is not None)
        svg = await settled_screenshot(pilot, app, "plentysync queue")
    assert_snapshot(svg, "queue-80x24")


async def test_dry_run_viewer(demo: Demo) -> None:
    seed(demo)
    app = frozen_app()
    plan = app.services.dry_run_plan(demo.profile_id, RunRequest(dry_run=True, limit=12))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        app.push_screen(DryRunScreen(plan))
        await until(pilot, lambda: isinstance(app.screen, DryRunScreen))
        svg = await settled_screenshot(pilot, app, "plentysync dry run")
    assert_snapshot(svg, "dry-run-80x24")
