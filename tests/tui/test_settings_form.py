"""Forms are generated from pydantic models: a field added to a model appears with no UI work."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static, Switch

from core.profiles.settings import ProfileSettings
from tui.screens.profile_diff import document_changes
from tui.widgets.form_fields import describe_fields, widget_id
from tui.widgets.row_editor import RowEditor
from tui.widgets.settings_form import SettingsForm

pytestmark = pytest.mark.anyio


class Row(BaseModel):
    code: str
    weight: int = Field(default=1, ge=1, le=9)


class Small(BaseModel):
    """A small section for the test."""

    enabled: bool = Field(default=True, description="do it")
    mode: Literal["fast", "careful"] = "careful"
    size: int = Field(default=10, ge=1, le=50, description="how many at once")
    share: float | None = Field(default=None, ge=0, le=1)
    label: str = "x"
    rows: list[Row] = Field(default_factory=list)


class Grown(Small):
    """The same section after a release added a setting."""

    retries: int = Field(default=3, ge=0, le=10, description="tries after the first")


class FormApp(App[None]):
    def __init__(self, model: type[BaseModel], values: dict[str, Any], **kwargs: Any) -> None:
        super().__init__()
        self.model, self.values, self.kwargs = model, values, kwargs

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield SettingsForm(self.model, self.values, prefix="small", id="form", **self.kwargs)


async def test_each_kind_of_field_gets_its_widget_help_and_bounds() -> None:
    app = FormApp(Small, {"size": 20, "rows": [{"code": "a", "weight": 2}]})
    async with app.run_test(size=(80, 60)) as pilot:
        form = app.query_one(SettingsForm)
        assert isinstance(app.query_one(f"#{widget_id('small.enabled')}"), Switch)
        mode = app.query_one(f"#{widget_id('small.mode')}", Select)
        assert (mode.value, [v for _l, v in mode._options]) == ("careful", ["fast", "careful"])
        size = app.query_one(f"#{widget_id('small.size')}", Input)
        assert size.value == "20"
        helps = [str(s.render()) for s in app.query(".field-help").results(Static)]
        assert "how many at once" in helps and "do it" in helps
        assert "A small section for the test." in helps
        assert size.validate("51") is not None and not size.validate("51").is_valid  # type: ignore[union-attr]
        assert size.validate("50").is_valid  # type: ignore[union-attr]
        rows = app.query_one(f"#{widget_id('small.rows')}", RowEditor)
        assert app.query_one(f"#{widget_id('small.rows[0].code')}", Input).value == "a"
        rows.focus()
        await pilot.press("alt+n")
        await pilot.pause()
        assert app.query_one(f"#{widget_id('small.rows[1].weight')}", Input).value == "1"
        await pilot.press(*"b", "alt+up")
        await pilot.pause()
        size.value = "abc"  # handed to the core as typed: the core words the refusal
        assert form.value() == {
            "enabled": True,
            "mode": "careful",
            "size": "abc",
            "share": None,
            "label": "x",
            "rows": [{"code": "b", "weight": 1}, {"code": "a", "weight": 2}],
        }
        shown = await form.show_errors([("small.size", "must be a whole number")])
        assert shown == [size]
        error = app.query_one(f"#{widget_id('small.size')}-error", Static)
        assert str(error.render()) == "✖ must be a whole number"
        assert error.display
        # A rule of the whole section has no field: it is shown at the top of the section.
        await form.show_errors([("small", "rows repeat a code"), ("small.rows[1].code", "bad")])
        assert not error.display
        top = app.query_one(f"#{widget_id('small')}-error", Static)
        assert str(top.render()) == "✖ rows repeat a code"
        assert "✖ small.rows[1].code: bad" in str(app.query_one(".row-error", Static).render())


async def test_a_field_added_to_the_model_appears_without_ui_work() -> None:
    app = FormApp(Grown, {})
    async with app.run_test(size=(80, 60)):
        form = app.query_one(SettingsForm)
        retries = app.query_one(f"#{widget_id('small.retries')}", Input)
        assert retries.value == "3"
        assert "tries after the first" in [str(s.render()) for s in app.query(".field-help")]
        retries.value = "5"
        assert form.value()["retries"] == 5


async def test_collected_options_make_selects_and_keep_a_value_not_offered() -> None:
    options = {"small.size": [("10 ten", 10), ("20 twenty", 20)], "small.rows.code": [("a", "a")]}
    app = FormApp(Small, {"size": 30, "rows": [{"code": "a"}]}, options=options)
    async with app.run_test(size=(80, 60)):
        size = app.query_one(f"#{widget_id('small.size')}", Select)
        assert [v for _l, v in size._options][-3:] == [10, 20, 30]  # 30: "(not collected)"
        assert size.value == 30
        code = app.query_one(f"#{widget_id('small.rows[0].code')}", Select)
        assert code.value == "a"


def test_every_setting_of_the_profile_has_a_field_in_the_editor() -> None:
    for section, info in ProfileSettings.model_fields.items():
        specs = describe_fields(info.annotation, section)  # type: ignore[arg-type]
        assert [s.name for s in specs] == list(info.annotation.model_fields)  # type: ignore[union-attr]
    kinds = {
        s.path: s.kind
        for s in describe_fields(ProfileSettings.model_fields["customer"].annotation, "customer")
    }  # type: ignore[arg-type]
    assert kinds["customer.account_trigger"] == "select"
    assert kinds["customer.group_mapping"] == "rows"
    assert kinds["customer.b2b_group_ids"] == "numbers"
    assert kinds["customer.is_active"] == "switch"


def test_changes_are_listed_by_path() -> None:
    old = {"schedule": {"process_batch_size": 100}, "store": {"store_mapping": []}}
    new = {
        "schedule": {"process_batch_size": 50},
        "store": {"store_mapping": [{"store_id": None, "locale": "de"}]},
    }
    assert document_changes(old, new) == [
        "schedule.process_batch_size: 100 → 50",
        "store.store_mapping[0].store_id: — → null",
        'store.store_mapping[0].locale: — → "de"',
    ]
    assert document_changes(new, old) == [
        "schedule.process_batch_size: 50 → 100",
        "store.store_mapping[0].store_id: null → —",
        'store.store_mapping[0].locale: "de" → —',
    ]
    assert document_changes(new, new) == []


async def test_help_lines_read_as_text_not_as_docstring_markup() -> None:
    guard = ProfileSettings.model_fields["guard"].annotation
    assert guard is not None and "``" in (guard.__doc__ or "")  # the docstring has RST quotes
    app = FormApp(guard, {})
    async with app.run_test(size=(80, 40)):
        helps = [str(s.render()) for s in app.query(".field-help").results(Static)]
        assert helps and not [h for h in helps if "``" in h], helps
        assert any("`run resume`" in h for h in helps), helps
