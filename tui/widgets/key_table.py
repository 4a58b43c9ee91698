"""A data table with the keys sysadmins expect from less and vim, updated by row key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable


class KeyTable(DataTable[Any]):
    """``j/k g/G`` move the cursor; ``sync`` updates rows in place so cursor and scroll stay."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "First row", show=False, id="table.first"),
        Binding("G", "scroll_bottom", "Last row", show=False, id="table.last"),
    ]

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._column_keys = [key for key, _label in columns]
        for key, label in columns:
            self.add_column(label, key=key)

    def sync(self, rows: Mapping[str, Sequence[Any]]) -> None:
        """Make the table show ``rows`` (row key -> cells): update, add, remove, never clear."""
        wanted = {str(key): cells for key, cells in rows.items()}
        for row_key in list(self.rows):
            if row_key.value not in wanted:
                self.remove_row(row_key)
        present = {row_key.value for row_key in self.rows}
        for key, cells in wanted.items():
            if key in present:
                for column, value in zip(self._column_keys, cells, strict=True):
                    if self.get_cell(key, column) != value:
                        self.update_cell(key, column, value, update_width=True)
            else:
                self.add_row(*cells, key=key)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)
