"""Snapshots of the profile editor at 80x24: the Store tab with its rows, the error banner."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from tests.tui.conftest import Demo
from tests.tui.snapshot import assert_snapshot, settled_screenshot
from tests.tui.test_flows import until
from tests.tui.test_snapshots import frozen_app, seed
from tui.screens.profile_editor import ProfileEditor
from tui.widgets.form_fields import widget_id

pytestmark = pytest.mark.anyio


def footer_keys(screen: Any) -> list[str]:
    return [key.description for key in screen.query(FooterKey)]


async def open_editor(app: Any, pilot: Any, profile_id: int) -> ProfileEditor:
    await until(pilot, lambda: app.last_dashboard is not None)
    context = app.services.editor_context(profile_id)
    app.push_screen(ProfileEditor(context))
    await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
    editor = app.screen
    assert isinstance(editor, ProfileEditor)
    await until(pilot, lambda: bool(editor.query("#f-name")))
    return editor


async def test_store_tab_with_rows(demo: Demo) -> None:
    seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot, demo.profile_id)
        editor.query_one("#editor-tabs").active = "tab-store"  # type: ignore[attr-defined]
        await until(
            pilot, lambda: bool(editor.query(f"#{widget_id('store.store_mapping[4].locale')}"))
        )
        editor.query_one(f"#{widget_id('store.store_mapping')}").focus()
        await until(pilot, lambda: "Add row" in footer_keys(editor))  # the row keys shown
        svg = await settled_screenshot(pilot, app, "plentysync profile editor")
    assert_snapshot(svg, "profile-editor-store-80x24")


async def test_error_banner(demo: Demo) -> None:
    seed(demo)
    app = frozen_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot, demo.profile_id)
        editor.query_one("#editor-tabs").active = "tab-schedule"  # type: ignore[attr-defined]
        path = f"#{widget_id('schedule.process_batch_size')}"
        await until(pilot, lambda: bool(editor.query(path)))
        field: Any = editor.query_one(path)
        field.value, field.cursor_blink = "0", False  # a blinking cursor would differ each time
        await pilot.press("ctrl+s")
        await until(pilot, lambda: editor.problems != [] and app.focused is field)
        svg = await settled_screenshot(pilot, app, "plentysync profile editor")
    assert_snapshot(svg, "profile-editor-error-80x24")
