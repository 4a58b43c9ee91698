"""A form generated from one pydantic settings section: a widget, help line and error per field.

``SettingsForm(ScheduleSection, values, prefix="schedule")`` shows every field of the model;
lists of row models become ``RowEditor`` tables. ``value()`` reads the section back as a
document; ``show_errors`` puts each ``FieldErrors`` message under its field.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.widgets.form_fields import (
    FieldSpec,
    Options,
    build_widget,
    describe_fields,
    read_widget,
    widget_id,
)
from tui.widgets.row_editor import RowEditor

__all__ = ["SettingsForm", "owner_of", "readable", "shown_error"]


def readable(doc: str) -> str:
    """A docstring or description as a help line: no indentation, RST double backquotes single."""
    return inspect.cleandoc(doc).replace("``", "`")


def shown_error(line: Static, text: str) -> None:
    """An error line under a field: shown with its text, hidden when there is none."""
    line.update(text)
    line.set_class(bool(text), "-shown")


def owner_of(path: str, specs: Sequence[FieldSpec]) -> FieldSpec | None:
    """The field of ``specs`` a core error path belongs to (``x.rows[0].y`` -> ``x.rows``)."""
    for spec in specs:
        if path == spec.path or path.startswith((spec.path + "[", spec.path + ".")):
            return spec
    return None


class SettingsForm(Vertical):
    """Every field of ``model`` with ``values``; ``options`` by path make Selects of numbers."""

    DEFAULT_CSS = """
    SettingsForm { height: auto; }
    SettingsForm .field-label { margin: 1 0 0 0; text-style: bold; }
    SettingsForm .field-help { color: $text-muted; }
    SettingsForm .field-error, SettingsForm .section-error { color: $error; height: auto;
        display: none; }
    SettingsForm .field-error.-shown, SettingsForm .section-error.-shown { display: block; }
    SettingsForm Switch { width: auto; height: 1; border: none; padding: 0 1; }
    /* one line, focused too: Switch's own tall focus border would leave no room for it */
    SettingsForm Switch:focus { border: none; background: $accent 60%; }
    """

    def __init__(
        self,
        model: type[BaseModel],
        values: Mapping[str, Any],
        *,
        prefix: str,
        options: Mapping[str, Options] | None = None,
        hints: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="settings-form")
        self.model = model
        self.values = dict(values)
        self.prefix = prefix
        self.options: dict[str, Options] = dict(options or {})
        self.hints: dict[str, str] = dict(hints or {})
        self.specs = describe_fields(model, prefix)

    def compose(self) -> ComposeResult:
        if self.model.__doc__:
            yield Static(readable(self.model.__doc__), classes="field-help", markup=False)
        yield Static("", classes="section-error", id=f"{widget_id(self.prefix)}-error")
        for spec in self.specs:
            value = self.values.get(spec.name, spec.default)
            if spec.kind == "rows":
                yield RowEditor(
                    spec,
                    value or [],
                    options=self._row_options(spec),
                    hint=self.hints.get(spec.path),
                )
                continue
            yield Label(spec.label, classes="field-label")
            yield build_widget(spec, value, self.options.get(spec.path))
            if spec.help:
                yield Static(readable(spec.help), classes="field-help", markup=False)
            yield Static("", classes="field-error", id=f"{spec.widget_id}-error")

    def _row_options(self, spec: FieldSpec) -> dict[str, Options]:
        return {k: v for k, v in self.options.items() if k.startswith(spec.path + ".")}

    # -- values ----------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        """The section as a settings document holds it."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            widget = self.query_one(f"#{spec.widget_id}")
            if isinstance(widget, RowEditor):
                out[spec.name] = widget.read()
            else:
                out[spec.name] = read_widget(spec, widget)
        return out

    def widget_for(self, path: str) -> Widget | None:
        """The widget that holds ``path`` (a row cell when it names one), or None."""
        spec = owner_of(path, self.specs)
        if spec is None:
            return None
        widget = self.query_one(f"#{spec.widget_id}")
        if isinstance(widget, RowEditor):
            return widget.cell_widget(path) or widget
        return widget

    async def set_options(self, options: Mapping[str, Options], hints: Mapping[str, str]) -> None:
        """New choices (after collecting): the form is drawn again with them, values kept."""
        self.values = self.value()
        self.options, self.hints = dict(options), dict(hints)
        await self.recompose()

    async def show_errors(self, errors: Sequence[tuple[str, str]]) -> list[Widget]:
        """Each (path, message) under its field (none clears them); the widgets in error."""
        shown: list[Widget] = []
        section: list[str] = []
        by_spec: dict[str, list[tuple[str, str]]] = {spec.path: [] for spec in self.specs}
        for path, message in errors:
            spec = owner_of(path, self.specs)
            if spec is None:
                section.append(message)
            else:
                by_spec[spec.path].append((path, message))
        shown_error(
            self.query_one(f"#{widget_id(self.prefix)}-error", Static),
            "\n".join(f"✖ {m}" for m in section),
        )
        if section:
            shown.append(self)
        for spec in self.specs:
            mine = by_spec[spec.path]
            widget = self.query_one(f"#{spec.widget_id}")
            if isinstance(widget, RowEditor):
                await widget.show_errors(mine)
            else:
                text = "\n".join(f"✖ {message}" for _path, message in mine)
                shown_error(self.query_one(f"#{spec.widget_id}-error", Static), text)
                widget.set_class(bool(mine), "-invalid")
            if mine:
                found = self.widget_for(mine[0][0])
                shown.append(found or widget)
        return shown
