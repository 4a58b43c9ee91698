"""Snapshots of the dashboard and the run view, from a seeded database and a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db.models import Profile, QueueItem, Run, RunItem, SharedState
from tests.tui.conftest import Demo
from tests.tui.snapshot import assert_snapshot, screen_text, settled_screenshot
from tests.tui.test_flows import until
from tui.app import PlentysyncApp
from tui.screens.run_view import RunViewScreen
from tui.services import Services

pytestmark = pytest.mark.anyio

FROZEN = dt.datetime(2026, 3, 2, 9, 30, 0)


def seed(demo: Demo) -> int:
    """A finished run two hours ago, a running one with recent items, and a queue."""
    SharedState.delete().execute()  # budget state of the set-up: meters start full
    profile = Profile.get_by_id(demo.profile_id)
    Run.create(
        profile=profile,
        trigger="schedule",
        status="done",
        total=1800,
        created=1700,
        updated=60,
        unchanged=40,
        api_reads=3600,
        api_writes=5300,
        enumerated=True,
        created_at=FROZEN - dt.timedelta(hours=3),
        started_at=FROZEN - dt.timedelta(hours=3),
        finished_at=FROZEN - dt.timedelta(hours=2),
    )
    running = Run.create(
        profile=profile,
        trigger="manual",
        status="running",
        total=2000,
        created=1100,
        updated=90,
        unchanged=40,
        failed=10,
        api_reads=2500,
        api_writes=3400,
        enumerated=True,
        created_at=FROZEN - dt.timedelta(minutes=20),
        started_at=FROZEN - dt.timedelta(minutes=20),
        last_progress_at=FROZEN - dt.timedelta(seconds=5),
    )
    items = []
    for minute in range(20):
        for n in range((minute % 7 + 1) * 3):
            items.append(
                {
                    "run": running.id,
                    "entity_type": "customer",
                    "entity_key": f"{minute * 100 + n}",
                    "action": "created",
                    "created_at": FROZEN - dt.timedelta(minutes=minute, seconds=n),
                }
            )
    items += [
        {
            "run": running.id,
            "entity_type": "customer",
            "entity_key": str(key),
            "action": "failed",
            "error_class": "ValidationError",
            "message": "postal code missing",
            "created_at": FROZEN - dt.timedelta(minutes=25),
        }
        for key in (4711, 4712)
    ]
    RunItem.insert_many(items).execute()
    QueueItem.insert_many(
        [
            {
                "profile": profile.id,
                "entity_type": "customer",
                "entity_key": str(i),
                "status": "failed" if i < 2 else "pending",
                "next_attempt_at": FROZEN + dt.timedelta(minutes=5),
            }
            for i in range(7)
        ]
    ).execute()
    return int(running.id)


def frozen_app(theme: str = "textual-dark") -> PlentysyncApp:
    services = Services()
    services.open()
    services.start_embedded = lambda: False  # type: ignore[method-assign]
    return PlentysyncApp(services, clock=lambda: FROZEN, theme=theme, manage_logging=False)


async def dashboard_svg(size: tuple[int, int], theme: str = "textual-dark") -> str:
    app = frozen_app(theme)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        return await settled_screenshot(pilot, app, "plentysync dashboard")


@pytest.mark.parametrize(
    ("size", "theme", "name"),
    [
        ((80, 24), "textual-dark", "dashboard-80x24"),
        ((120, 40), "textual-dark", "dashboard-120x40"),
        ((80, 24), "ansi-dark", "dashboard-80x24-ansi-dark"),
    ],
)
async def test_dashboard(demo: Demo, size: tuple[int, int], theme: str, name: str) -> None:
    seed(demo)
    svg = await dashboard_svg(size, theme)
    header = screen_text(svg)[0]
    assert "W " in header and "/min" in header and "⚠ 1" in header, header  # fits the width
    assert_snapshot(svg, name)


async def test_run_view(demo: Demo) -> None:
    run_id = seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        app.push_screen(RunViewScreen(run_id))
        await until(pilot, lambda: getattr(app.screen, "progress", None) is not None)
        svg = await settled_screenshot(pilot, app, "plentysync run view")
    assert_snapshot(svg, "run-view-80x24")
