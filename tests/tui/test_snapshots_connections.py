"""Snapshots of the connections screen and the schedule form at 80x24 (frozen clock).

The rows are made through the core with fixed addresses (a sandbox's port would change from
run to run); the secrets given here must not appear in either picture.
"""

from __future__ import annotations

import pytest

from core.services import connections, schedules
from tests.tui.snapshot import assert_snapshot, settled_screenshot
from tests.tui.test_flows import until
from tests.tui.test_snapshots import frozen_app
from tui.screens.connections import ConnectionsScreen
from tui.screens.schedule_form import ScheduleFormScreen

pytestmark = pytest.mark.anyio
SECRETS = ("erp-password-41", "shop-token-42")


def seed() -> None:
    connections.create_client(
        name="erp-eu",
        base_url="https://erp-eu.example.com",
        username="api",
        password=SECRETS[0],
        settings={"plan": "classic", "budget_share": 0.5},
    )
    connections.create_client(
        name="erp-test",
        base_url="https://erp-test.example.com",
        username="api",
        password="x",
        settings={"read_per_minute": 60, "write_per_minute": 30},
        unset=("plan",),
    )
    connections.create_source(
        name="shop-eu",
        namespace="shop-eu",
        base_url="https://shop.example.com",
        auth_mode="bearer",
        secrets={"token": SECRETS[1]},
    )
    schedules.create_schedule(name="nightly", cron="30 2 * * *", timezone="Europe/Berlin")
    schedules.create_schedule(name="quarters", cron="*/15 8-18 * * mon-fri", timezone="UTC")


async def test_connections_screen(secret_key: None) -> None:
    seed()
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: getattr(app.screen, "board", None) is not None)
        svg = await settled_screenshot(pilot, app, "plentysync connections")
    assert not any(secret in svg for secret in SECRETS)
    assert_snapshot(svg, "connections-80x24")


async def test_schedule_form_with_fire_times(secret_key: None) -> None:
    seed()
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, ConnectionsScreen))
        screen = app.screen
        await until(pilot, lambda: screen.board is not None)
        await pilot.press("h")
        await until(pilot, lambda: screen.table().current_key is not None)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormScreen))
        form = app.screen
        await until(pilot, lambda: form.fire_times is not None)
        svg = await settled_screenshot(pilot, app, "plentysync schedule")
    assert "Tue 2026-03-03 02:30 CET" in svg.replace("&#160;", " ")
    assert_snapshot(svg, "schedule-form-80x24")
