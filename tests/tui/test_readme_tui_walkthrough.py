"""The README's TUI set-up walkthrough, pressed key by key from an empty database.

This mirrors the numbered steps between ``<!-- tui-walkthrough:start -->`` and
``<!-- tui-walkthrough:end -->`` in README.md ("The same in the TUI", under "Configure"): a
change there needs the same change here. Inputs get their text as a person's typing would
(see ``connections_flow.type_into``), choices are picked with ``enter`` and the arrows, tabs
are changed with ``alt+right``. The end state is checked against the database: the profile is
runnable, its document is the expected one, and a run started from the dashboard reaches done.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Select

from core.db.models import Profile, Run, Schedule
from core.profiles.settings import ProfileSettings
from tests.tui.connections_flow import new_form, open_connections, sandboxes, save_form, type_into
from tests.tui.profile_helpers import add_row, choose, editor_of, fill_customer_rows, pick_with_keys
from tests.tui.profile_helpers import type_into as type_in_editor
from tests.tui.test_flows import app_for, until
from tests.tui.test_profile_editor import open_profiles
from tui.screens.client_form import ClientFormScreen
from tui.screens.confirm import Confirm
from tui.screens.profile_editor import ProfileEditor
from tui.screens.profiles import ProfilesScreen
from tui.screens.run_dialog import RunDialog
from tui.screens.run_view import RunViewScreen
from tui.screens.schedule_form import ScheduleFormScreen
from tui.screens.source_form import SourceFormScreen

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # some 30 s of key presses and a run
CUSTOMERS = 12


async def pick(pilot: Any, selector: str, value: Any) -> None:
    """Choose ``value`` in a form's Select: focus it, ``enter``, arrows, ``enter``."""
    await pick_with_keys(pilot, pilot.app.screen.query_one(selector, Select), value, selector)


async def next_tab(pilot: Any, editor: ProfileEditor, times: int, pane: str) -> None:
    for _ in range(times):
        await pilot.press("alt+right")
    tabs: Any = editor.query_one("#editor-tabs")
    await until(
        pilot, lambda: tabs.active == pane and bool(editor.query(f"#{pane} .settings-form"))
    )


def expected_document(schedule_id: int) -> dict[str, Any]:
    return ProfileSettings.model_validate(
        {
            "schedule": {"schedule_id": schedule_id},
            "store": {
                "referrer_id": 1.0,
                "store_mapping": [{"store_id": None, "plenty_id": 12345, "locale": "de"}],
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
    ).to_document()


async def test_the_readme_tui_walkthrough_sets_up_and_runs_a_profile(secret_key: None) -> None:
    with sandboxes(customers=CUSTOMERS) as urls:
        app = app_for()
        async with app.run_test(size=(100, 40)) as pilot:
            # 1. `5`, `c`, `n`: the client, explicit budgets; `ctrl+s`
            await open_connections(pilot)
            await new_form(pilot, "clients", ClientFormScreen)
            assert app.focused is app.screen.query_one("#f-name")  # typing starts at Name
            await type_into(pilot, "#f-name", "erp")
            await type_into(pilot, "#f-base-url", urls.plenty_url)
            await type_into(pilot, "#f-username", "api-user")
            await type_into(pilot, "#f-password", "api-password")
            await pick(pilot, "#f-plan", "")  # explicit budgets (no plan)
            await type_into(pilot, "#f-read-per-minute", "6000")
            await type_into(pilot, "#f-write-per-minute", "3000")
            await save_form(pilot)
            # 2. `s`, `n`: the source, bearer auth with the integration token; `ctrl+s`
            await new_form(pilot, "sources", SourceFormScreen)
            await type_into(pilot, "#f-name", "shop")
            await type_into(pilot, "#f-namespace", "shop-eu")
            await type_into(pilot, "#f-base-url", urls.shop_url)
            await pick(pilot, "#f-auth-mode", "bearer")
            await type_into(pilot, "#f-secrets-token", "sandbox-integration-token")
            await save_form(pilot)
            # 3. `h`, `n`: the schedule; its fire times show as the cron is typed; `ctrl+s`
            await new_form(pilot, "schedules", ScheduleFormScreen)
            await type_into(pilot, "#f-name", "every-15")
            await type_into(pilot, "#f-timezone", "Europe/Berlin")
            await type_into(pilot, "#f-cron", "*/15 * * * *")
            form: Any = app.screen
            await until(pilot, lambda: form.cron_ok)
            await save_form(pilot)
            schedule = Schedule.get(Schedule.name == "every-15")
            # 4. `4`, `n`: name `eu`, client and source already chosen; `ctrl+g` collects
            await open_profiles(pilot)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, ProfileEditor))
            editor = editor_of(app)
            assert (editor.document()["client"], editor.document()["source"]) == ("erp", "shop")
            await type_in_editor(pilot, "name", "eu")
            await pilot.press("ctrl+g")
            await until(pilot, lambda: editor.choices is not None and editor.choices.collected)
            # 5. Schedule tab: `every-15`; Store tab: a row for every store, then referrer 1
            await next_tab(pilot, editor, 1, "tab-schedule")
            await choose(pilot, "schedule.schedule_id", schedule.id)
            await next_tab(pilot, editor, 2, "tab-store")
            await until(pilot, lambda: not editor.query(".row-hint"))  # collected: no hints
            row = await add_row(pilot, "store.store_mapping")
            await choose(pilot, f"store.store_mapping[{row}].plenty_id", 12345)
            await choose(pilot, f"store.store_mapping[{row}].locale", "de")
            await choose(pilot, "store.referrer_id", 1)
            # 6. Customer tab: default group, a group mapping row, two gender rows
            await next_tab(pilot, editor, 1, "tab-customer")
            await fill_customer_rows(pilot)
            # 7. `ctrl+s` lists the changes, `y` writes them: the profile is runnable
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, Confirm))
            assert f"schedule.schedule_id: null → {schedule.id}" in app.screen.question  # type: ignore[attr-defined]
            assert Profile.select().count() == 0  # nothing written before the answer
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, ProfilesScreen))
            profiles: Any = app.screen
            await until(pilot, lambda: bool(profiles.rows))
            (listed,) = profiles.rows
            assert (listed.name, listed.state, listed.schedule) == ("eu", "runnable", "every-15")
            stored = Profile.get(Profile.name == "eu")
            assert stored.settings == expected_document(schedule.id)
            assert app.services.runnable_problems(stored.id) == []
            # 8. `1`, `x`, `ctrl+s`: the run view follows the run to done
            await pilot.press("1")
            await until(pilot, lambda: app.screen.id == "dashboard")
            await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, RunDialog))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, RunViewScreen))
            view: Any = app.screen
            await until(
                pilot,
                lambda: view.progress is not None and view.progress.status == "done",
                timeout=90,
            )
            assert view.progress.done == CUSTOMERS
            run = Run.get_by_id(view.run_id)
            assert (run.status, run.trigger, run.profile_id) == ("done", "manual", stored.id)
