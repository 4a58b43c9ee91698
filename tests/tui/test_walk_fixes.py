"""Rough edges found walking screens 4 and 5 at 80x24 by hand, each pinned by a test."""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import Footer, Input, Switch
from textual.widgets._footer import FooterKey

from tests.tui.profile_helpers import Connections, add_row, editor_of, empty_sandboxes, wired
from tests.tui.test_flows import app_for, until
from tests.tui.test_profile_editor import new_profile
from tui.screens.connections import ConnectionsScreen
from tui.screens.schedule_form import ScheduleFormScreen
from tui.widgets.form_fields import widget_id

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


async def test_the_editor_footer_fits_80_columns_with_a_row_editor_focused(
    wired: Connections,
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_profile(pilot)
        await pilot.press("alt+right", "alt+right", "alt+right")
        rows: Any = None

        def row_editor_focused() -> bool:
            nonlocal rows
            found = editor.query(f"#{widget_id('store.store_mapping')}")
            rows = found.first() if found else None
            return rows is not None and rows.has_focus

        await until(pilot, row_editor_focused)
        await pilot.pause(0.3)
        keys = {str(k.description): k.region for k in editor.query_one(Footer).query(FooterKey)}
        assert {"Add row", "Delete row", "Save", "Back"} <= set(keys), keys
        clipped = [name for name, region in keys.items() if region.right > 80]
        assert not clipped, f"cut off at 80 columns: {clipped}"


async def test_a_long_choice_stays_on_one_line_in_a_row(wired: Connections) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_profile(pilot)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: editor.choices is not None and editor.choices.collected)
        await pilot.press("alt+right", "alt+right", "alt+right")
        await until(pilot, lambda: bool(editor.query(f"#{widget_id('store.store_mapping')}")))
        await add_row(pilot, "store.store_mapping")
        select: Any = editor.query_one(f"#{widget_id('store.store_mapping[0].store_id')}")
        labels = {v: label for label, v in select._options}
        select.value = max(labels, key=lambda v: len(str(labels[v])))
        await pilot.pause(0.2)
        assert len(str(labels[select.value])) > select.size.width > 0  # it is a long one
        assert select.size.height == 1, f"{labels[select.value]!r} took {select.size.height}"


async def test_a_focused_switch_still_shows_its_state_on_one_line(wired: Connections) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_profile(pilot)
        await pilot.press("alt+right")  # Schedule: its first field is the status switch
        switch: Any = None

        def focused_switch() -> bool:
            nonlocal switch
            switch = app.focused
            return isinstance(switch, Switch)

        await until(pilot, focused_switch)
        await pilot.pause(0.2)
        assert (switch.outer_size.height, switch.content_size.height) == (1, 1)
        before = switch.value
        await pilot.press("space")
        await until(pilot, lambda: switch.value is not before)
        assert editor.dirty
