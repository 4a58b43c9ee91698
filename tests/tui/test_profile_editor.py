"""The profiles screen and the editor, driven by keys against a real database and the sandboxes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.db.models import Profile
from core.profiles.settings import ProfileSettings
from tests.tui.profile_helpers import (
    Connections,
    add_row,
    choose,
    editor_of,
    empty_sandboxes,
    fill_customer_rows,
    show_tab,
    type_into,
    wired,
)
from tests.tui.test_flows import app_for, until
from tui.screens.ask import AskText, Choose
from tui.screens.confirm import Confirm
from tui.screens.profile_editor import ProfileEditor
from tui.screens.profiles import ProfilesScreen
from tui.screens.text_view import TextView
from tui.services import Services
from tui.widgets.form_fields import widget_id

pytestmark = pytest.mark.anyio
__all__ = ["empty_sandboxes", "wired"]  # fixtures used by name

SIZE = (100, 40)

EXPECTED: dict[str, Any] = {
    "schedule": {"schedule_id": "hourly"},  # the schedule's id is filled in by the test
    "store": {
        "referrer_id": 1.0,
        "store_mapping": [
            {"store_id": 3, "plenty_id": 12345, "locale": "de"},
            {"store_id": None, "plenty_id": 12345, "locale": "en"},
        ],
    },
    "customer": {
        "default_group": 1,
        "group_mapping": [{"magento_group_id": 2, "plenty_class_id": 2}],
        "gender_mapping": [
            {"prefix": "Mr.", "gender": "male"},
            {"prefix": "Mrs.", "gender": "female"},
        ],
    },
}


def expected_document(schedule_id: int) -> dict[str, Any]:
    document = json.loads(json.dumps(EXPECTED))
    document["schedule"]["schedule_id"] = schedule_id
    return ProfileSettings.model_validate(document).to_document()


async def open_profiles(pilot: Any) -> ProfilesScreen:
    await pilot.press("4")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProfilesScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.last_shown > 0)
    return screen


async def new_profile(pilot: Any) -> ProfileEditor:
    await open_profiles(pilot)
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProfileEditor))
    return editor_of(pilot.app)


async def fill_profile(pilot: Any, editor: ProfileEditor, schedule_id: int) -> None:
    """What a person does for the expected document, with the collected values offered."""
    await type_into(pilot, "name", "eu")
    await pilot.press("ctrl+g")
    await until(pilot, lambda: editor.choices is not None and editor.choices.collected)
    await until(pilot, lambda: not editor.query(".row-hint"))  # the hints went away
    await show_tab(pilot, editor, "schedule")
    await choose(pilot, "schedule.schedule_id", schedule_id)
    await show_tab(pilot, editor, "store")
    await choose(pilot, "store.referrer_id", 1)
    for store, locale in ((3, "de"), (None, "en")):
        row = await add_row(pilot, "store.store_mapping")
        if store is not None:
            await choose(pilot, f"store.store_mapping[{row}].store_id", store)
        await choose(pilot, f"store.store_mapping[{row}].plenty_id", 12345)
        await choose(pilot, f"store.store_mapping[{row}].locale", locale)
    await show_tab(pilot, editor, "customer")
    await fill_customer_rows(pilot)


@pytest.mark.slow  # some 20 s: a person's hundred key presses on a full editor
async def test_a_profile_made_in_the_editor_from_collected_choices_is_saved_runnable(
    wired: Connections,
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_profile(pilot)
        await show_tab(pilot, editor, "store")
        await until(pilot, lambda: bool(editor.query(".row-hint")))
        hints = [str(h.render()) for h in editor.query(".row-hint")]
        assert len(hints) == 2  # store mapping and website referrers
        assert all("press ctrl+g to collect configuration" in h for h in hints), hints
        await fill_profile(pilot, editor, wired.schedule_id)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        question = app.screen.question  # type: ignore[attr-defined]
        assert 'store.store_mapping[0].locale: — → "de"' in question
        assert f"schedule.schedule_id: null → {wired.schedule_id}" in question
        assert Profile.select().count() == 0  # nothing written before the confirmation
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ProfilesScreen))
        screen = app.screen
        assert isinstance(screen, ProfilesScreen)
        await until(pilot, lambda: bool(screen.rows))
        (row,) = screen.rows
        assert (row.name, row.state, row.schedule) == ("eu", "runnable", "hourly")
        stored = Profile.get(Profile.name == "eu")
        assert stored.settings == expected_document(wired.schedule_id)
        assert app.services.runnable_problems(stored.id) == []


async def test_a_bad_batch_size_is_shown_under_its_field_and_nothing_is_saved(
    wired: Connections,
) -> None:
    services = Services()
    services.open()
    saved = services.save_profile(
        None, name="eu", client="erp", source="shop", settings=ProfileSettings().to_document()
    )
    before = Profile.get_by_id(saved.detail.summary.id)
    app = app_for(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profiles(pilot)
        await until(pilot, lambda: bool(screen.rows))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
        editor = editor_of(app)
        await show_tab(pilot, editor, "schedule")
        await type_into(pilot, "schedule.process_batch_size", "0")
        await show_tab(pilot, editor, "client")
        await pilot.press("ctrl+s")
        error = f"#{widget_id('schedule.process_batch_size')}-error"
        await until(pilot, lambda: "must be at least 1" in str(editor.query_one(error).render()))
        banner = str(editor.query_one("#editor-banner").render())
        assert banner == "✖ nothing was saved: 1 problem"
        tabs: Any = editor.query_one("#editor-tabs")
        assert tabs.get_tab("tab-schedule").label_text == "Schedule ✖"
        assert tabs.get_tab("tab-store").label_text == "Store"
        assert tabs.active == "tab-schedule"
        await until(pilot, lambda: app.focused is editor.query_one(error[:-6]))
        assert not isinstance(app.screen, Confirm)
    after = Profile.get_by_id(before.id)
    assert (after.updated_at, after.settings) == (before.updated_at, before.settings)


async def test_leaving_with_unsaved_changes_asks_save_discard_or_stay(wired: Connections) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_profile(pilot)
        await pilot.press("escape")  # nothing changed: leaves at once
        await until(pilot, lambda: isinstance(app.screen, ProfilesScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
        editor = editor_of(app)
        await type_into(pilot, "name", "draft")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("end", "enter")  # stay
        await until(pilot, lambda: app.screen is editor)
        assert editor.query_one("#f-name").value == "draft"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("home", "enter")  # save: the confirmation of the changes
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("home", "down", "enter")  # discard
        await until(pilot, lambda: isinstance(app.screen, ProfilesScreen))
    assert Profile.select().count() == 0


async def test_remove_needs_the_profile_name_typed(wired: Connections) -> None:
    services = Services()
    services.open()
    saved = services.save_profile(
        None, name="eu", client="erp", source="shop", settings=ProfileSettings().to_document()
    )
    app = app_for(services)
    async with app.run_test(size=SIZE) as pilot:
        # The dashboard's e opens the editor of its selected profile too.
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
        assert editor_of(app).profile_id == saved.detail.summary.id
        await until(pilot, lambda: bool(app.screen.query("#f-name")))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "dashboard")
        screen = await open_profiles(pilot)
        await until(pilot, lambda: bool(screen.rows))
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press(*"e", "enter")  # not the name
        await until(pilot, lambda: app.screen is screen)
        assert Profile.select().count() == 1
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press(*"eu", "enter")
        await until(pilot, lambda: not screen.rows)
    assert Profile.select().count() == 0


async def test_export_then_import_gives_the_same_document(
    wired: Connections, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short names to type
    services = Services()
    services.open()
    settings = expected_document(wired.schedule_id)
    saved = services.save_profile(None, name="eu", client="erp", source="shop", settings=settings)
    exported = saved.detail.document
    path = Path("eu.profile.json")  # the name the export offers
    app = app_for(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profiles(pilot)
        await until(pilot, lambda: bool(screen.rows))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press("enter")
        await until(pilot, path.exists)
        assert json.loads(path.read_text()) == exported
        services.remove_profile(saved.detail.summary.id)
        # A broken copy first: refused field by field, nothing imported.
        broken = Path("bad.json")
        document = json.loads(path.read_text())
        document["settings"]["schedule"]["process_batch_size"] = 0
        broken.write_text(json.dumps(document))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press(*str(broken), "enter")
        await until(pilot, lambda: isinstance(app.screen, TextView))
        body = str(app.screen.query_one("#text-body").render())
        assert "settings.schedule.process_batch_size: must be at least 1" in body
        assert Profile.select().count() == 0
        await pilot.press("escape")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press(*str(path), "enter")
        await until(pilot, lambda: [r.name for r in screen.rows] == ["eu"])
    (again,) = Profile.select()
    assert services.profile_rows()[0].name == "eu"
    assert app.services.export_profile(again.id, str(tmp_path / "again.json"))
    assert json.loads((tmp_path / "again.json").read_text()) == exported


async def test_the_editor_tests_the_connection_creates_a_referrer_and_forgets_the_configuration(
    wired: Connections,
) -> None:
    services = Services()
    services.open()
    services.collect_config("erp", "shop")
    saved = services.save_profile(
        None, name="eu", client="erp", source="shop", settings=ProfileSettings().to_document()
    )
    app = app_for(services)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ProfileEditor(services.editor_context(saved.detail.summary.id)))
        await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
        editor = editor_of(app)
        await until(pilot, lambda: bool(editor.query("#f-name")))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TextView), timeout=60)
        body = str(app.screen.query_one("#text-body").render())
        assert "ok  PlentyONE: login: logged in as api-user" in body
        assert "ok  Magento: credentials and stores" in body
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is editor)
        assert editor.choices is not None
        known = len(editor.choices.client.referrers)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press(*"web", "enter")
        await until(pilot, lambda: len(editor.choices.client.referrers) == known + 1)  # type: ignore[union-attr]
        assert "web" in [r.name for r in editor.choices.client.referrers]
        await show_tab(pilot, editor, "store")
        referrers: Any = editor.query_one(f"#{widget_id('store.referrer_id')}")
        assert "web" in " ".join(str(label) for label, _v in referrers._options)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: not editor.choices.collected)  # type: ignore[union-attr]
        await until(pilot, lambda: bool(editor.query(".row-hint")))
    assert services.runnable_problems(saved.detail.summary.id)  # nothing collected any more
