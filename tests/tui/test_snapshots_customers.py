"""A snapshot of the customer lookup at 80x24: link, last export, owned fields, live diff."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from core.db.models import CustomerLink, RunItem, SharedState
from tests.tui.conftest import Demo
from tests.tui.snapshot import assert_snapshot, settled_screenshot
from tests.tui.test_customers import export_demo
from tests.tui.test_flows import until
from tests.tui.test_snapshots import FROZEN, frozen_app
from tui.screens.customers import CustomersScreen

pytestmark = pytest.mark.anyio


async def test_customer_lookup(demo: Demo) -> None:
    run = export_demo(demo, [1, 2, 3])
    sent = FROZEN - dt.timedelta(hours=1)
    CustomerLink.update(updated_at=sent).execute()
    RunItem.update(created_at=sent).where(RunItem.run == run.id).execute()
    SharedState.delete().execute()  # budget state of the export: meters start full
    answer = httpx.patch(
        f"{demo.shop_url}/_sandbox/customers/2", json={"lastname": "Umbenannt"}, timeout=10
    )
    answer.raise_for_status()
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_dashboard is not None)
        await pilot.press("6")
        await until(pilot, lambda: isinstance(app.screen, CustomersScreen))
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        await until(pilot, lambda: screen.profile_id is not None)
        await pilot.press("2", "enter")
        await until(pilot, lambda: screen.diff is not None)
        svg = await settled_screenshot(pilot, app, "plentysync customers")
    assert screen.diff is not None and screen.diff.action == "update"
    assert "Umbenannt" in svg and "lastName" in svg
    assert_snapshot(svg, "customers-80x24")
