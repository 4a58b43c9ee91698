"""Rough edges found walking screens 4 and 5 at 80x24 by hand, each pinned by a test."""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import Input

from tests.tui.profile_helpers import Connections, editor_of, empty_sandboxes, wired
from tests.tui.test_flows import app_for, until
from tests.tui.test_profile_editor import new_profile
from tui.screens.connections import ConnectionsScreen
from tui.screens.schedule_form import ScheduleFormScreen

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # some 5 s each: the sandboxes and the editor
__all__ = ["empty_sandboxes", "wired"]  # fixtures used by name


async def test_alt_arrows_walk_the_editor_tabs_and_focus_a_field(wired: Connections) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_profile(pilot)
        tabs: Any = editor.query_one("#editor-tabs")
        seen = [tabs.active]
        for _ in range(8):
            await pilot.press("alt+right")
            await pilot.pause()
            seen.append(tabs.active)
        assert seen == [
            "tab-client",
            *(f"tab-{s}" for s in ("schedule", "http_api", "store", "customer", "event")),
            "tab-log",
            "tab-guard",
            "tab-client",
        ]
        await pilot.press("alt+left")
        await until(pilot, lambda: tabs.active == "tab-guard")
        await pilot.press("alt+left", "alt+left", "alt+left", "alt+left")
        await until(pilot, lambda: tabs.active == "tab-store")
        pane = editor.query_one("#tab-store")

        def field_focused() -> bool:
            focused = app.focused
            return (
                focused is not None
                and not isinstance(focused, ScrollableContainer)
                and pane in focused.ancestors
            )

        await until(pilot, field_focused)
        assert editor_of(app) is editor


async def test_a_new_form_has_its_first_field_focused_so_typing_fills_it(
    wired: Connections,
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, ConnectionsScreen))
        await pilot.press("h", "n")
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormScreen))
        await pilot.pause()
        await pilot.press(*"daily")
        assert app.screen.query_one("#f-name", Input).value == "daily"
