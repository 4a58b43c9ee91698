"""A list of rows of one pydantic row model (a mapping table): add, delete, move up and down.

Each cell is the generated widget of its field (``tui.widgets.form_fields``); cells whose
values come from the collected configuration are Selects of those values. When they are
needed but nothing was collected, the editor says which key collects them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.widgets.form_fields import FieldSpec, Options, build_widget, describe_fields, read_widget

ROW_KEYS = "alt+n add · alt+d delete · alt+↑/↓ move"


class RowEditor(Vertical, can_focus=True):
    """The rows of ``spec.path`` (``store.store_mapping``), ``rows`` as the document holds them."""

    DEFAULT_CSS = """
    RowEditor { height: auto; margin: 1 0 0 0; }
    RowEditor:focus > .row-title { text-style: bold reverse; }
    RowEditor > .row { height: auto; }
    RowEditor > .row > * { width: 1fr; margin: 0 1 0 0; }
    RowEditor > .row-head > Label { margin: 0 1 0 0; }
    RowEditor > .row-head { color: $text-muted; height: 1; }
    RowEditor > .row-head > Label { width: 1fr; }
    RowEditor > .row-hint { color: $warning; }
    RowEditor > .row-error { color: $error; height: auto; display: none; }
    RowEditor > .row-error.-shown { display: block; }
    """
    BINDINGS = [
        Binding("alt+n", "add_row", "Add row", id="rows.add"),
        Binding("alt+d", "delete_row", "Delete row", id="rows.delete"),
        # the moves stay off the footer (80 columns): the table's label and ? name them
        Binding("alt+up", "move_row(-1)", "Move row up", show=False, id="rows.up"),
        Binding("alt+down", "move_row(1)", "Move row down", show=False, id="rows.down"),
    ]

    def __init__(
        self,
        spec: FieldSpec,
        rows: Sequence[Mapping[str, Any]],
        *,
        options: Mapping[str, Options] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(id=spec.widget_id, classes="row-editor")
        assert spec.row_model is not None
        self.spec = spec
        self.row_model: type[BaseModel] = spec.row_model
        self.rows: list[dict[str, Any]] = [dict(row) for row in rows]
        self.options: dict[str, Options] = dict(options or {})
        self.hint = hint
        self.errors: list[tuple[str, str]] = []

    def _cells(self, index: int) -> list[FieldSpec]:
        return describe_fields(self.row_model, f"{self.spec.path}[{index}]")

    def compose(self) -> ComposeResult:
        title = f"{self.spec.label}  ({ROW_KEYS})"
        yield Label(title, classes="row-title")
        if self.spec.help:
            yield Static(self.spec.help, classes="field-help", markup=False)
        if self.hint:
            yield Static(self.hint, classes="row-hint", markup=False)
        names = [cell.label for cell in describe_fields(self.row_model, self.spec.path)]
        if self.rows:
            with Horizontal(classes="row-head"):
                for name in names:
                    yield Label(name)
        else:
            yield Static("no rows: alt+n adds one", classes="row-empty")
        for index, row in enumerate(self.rows):
            with Horizontal(classes="row"):
                for cell in self._cells(index):
                    yield build_widget(cell, row.get(cell.name), self._options_of(cell))
        error = self._error_text()
        yield Static(error, classes="row-error -shown" if error else "row-error", markup=False)

    def _options_of(self, cell: FieldSpec) -> Options | None:
        return self.options.get(f"{self.spec.path}.{cell.name}")

    def _error_text(self) -> str:
        return "\n".join(f"✖ {path}: {message}" for path, message in self.errors)

    # -- values ----------------------------------------------------------------------------

    def read(self) -> list[dict[str, Any]]:
        """The rows as the widgets hold them now (kept, so a redraw does not lose them)."""
        if not self.is_mounted:
            return [dict(row) for row in self.rows]
        for index, row in enumerate(self.rows):
            for cell in self._cells(index):
                found = self.query(f"#{cell.widget_id}")
                if found:
                    row[cell.name] = read_widget(cell, found.first())
        return [dict(row) for row in self.rows]

    def cell_widget(self, path: str) -> Widget | None:
        """The widget of ``store.store_mapping[0].locale`` or of the row editor's path."""
        from tui.widgets.form_fields import widget_id

        found = self.query(f"#{widget_id(path)}")
        return found.first() if found else None

    def focused_row(self) -> int | None:
        focused = self.screen.focused
        for index in range(len(self.rows)):
            if focused is not None and (focused.id or "").startswith(
                f"{self.spec.widget_id}-{index}-"
            ):
                return index
        return None

    # -- changes ---------------------------------------------------------------------------

    async def redraw(self, focus_row: int | None = None) -> None:
        await self.recompose()
        if focus_row is not None and 0 <= focus_row < len(self.rows):
            first = self._cells(focus_row)[0]
            target = self.query(f"#{first.widget_id}")
            if target:
                target.first().focus()

    async def set_options(self, options: Mapping[str, Options], hint: str | None) -> None:
        self.rows = self.read()
        self.options, self.hint = dict(options), hint
        await self.redraw()

    async def show_errors(self, errors: list[tuple[str, str]]) -> None:
        self.rows = self.read()
        self.errors = errors
        await self.redraw()

    async def action_add_row(self) -> None:
        self.rows = self.read()
        self.rows.append({cell.name: cell.default for cell in self._cells(len(self.rows))})
        await self.redraw(len(self.rows) - 1)

    async def action_delete_row(self) -> None:
        index = self.focused_row()
        if index is None:
            return
        self.rows = self.read()
        del self.rows[index]
        await self.redraw(min(index, len(self.rows) - 1))

    async def action_move_row(self, step: int) -> None:
        index = self.focused_row()
        if index is None or not 0 <= index + step < len(self.rows):
            return
        self.rows = self.read()
        self.rows[index], self.rows[index + step] = self.rows[index + step], self.rows[index]
        await self.redraw(index + step)
