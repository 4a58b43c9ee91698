"""The top line: mode, database, live workers, budget meters and the problem count."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from tui.services import Dashboard
from tui.widgets.meters import bar, compact


class StatusHeader(Static):
    """``plentysync · embedded · sqlite · 1 worker · erp W ▕███ ▏ 290/360/min · ⚠ 1``."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $primary-background; color: $text; }
    StatusHeader.-trouble { background: $error; }
    """

    def __init__(self, mode: str, database: str) -> None:
        super().__init__(id="status-header")
        self.mode = mode
        self.database = database
        self.dashboard: Dashboard | None = None
        self.trouble: str | None = None
        self.paused = False
        self.stale_for: float | None = None  # a slow poll: how old the data shown is

    def on_mount(self) -> None:
        self.refresh_line()

    def show(self, dashboard: Dashboard | None = None, trouble: str | None = None) -> None:
        if dashboard is not None:
            self.dashboard = dashboard
        self.trouble = trouble
        self.refresh_line()

    def on_resize(self) -> None:
        self.refresh_line()

    def refresh_line(self) -> None:
        self.set_class(bool(self.trouble), "-trouble")
        if self.trouble:
            self.update(" " + self.trouble)
            return
        width = self.size.width or self.app.size.width
        lines = [" " + " · ".join(parts) for parts in self._variants()]
        self.update(next((line for line in lines if cell_len(line) <= width), lines[-1]))

    def _variants(self) -> list[list[str]]:
        """The line's parts, fullest first; narrower terminals get a later one.

        What goes first: our name, then the client's name and the bar; the write figures,
        the problem count and a paused or stale note stay to the last.
        """
        return [
            self._parts(name=True, client=True, meter_bar=True),
            self._parts(name=False, client=True, meter_bar=True),
            self._parts(name=False, client=False, meter_bar=True),
            self._parts(name=False, client=False, meter_bar=False),
        ]

    def _parts(self, *, name: bool, client: bool, meter_bar: bool) -> list[str]:
        parts = (["plentysync"] if name else []) + [self.mode, self.database]
        board = self.dashboard
        if board is not None:
            count = len(board.workers)
            parts.append(f"{count} worker" + ("" if count == 1 else "s"))
            parts.append(f"⚠ {len(board.problems)}" if board.problems else "✓ 0")
            writes = [m for m in board.budgets if m.kind == "write"]
            if writes:
                meter = writes[0]
                used, used_day = meter.minute_used, meter.day_used
                text = (f"{meter.client} " if client else "") + "W "
                text += f"{bar(used, meter.minute_limit)} " if meter_bar else ""
                text += f"{compact(used)}/{compact(meter.minute_limit)}/min"
                if used_day is not None and meter.day_limit is not None:
                    text += f" · {compact(used_day)}/{compact(meter.day_limit)} today"
                parts.append(text)
        if self.paused:
            parts.append("⏸ updates paused")
        elif self.stale_for is not None:
            parts.append(f"⌛ data {self.stale_for:.0f} s old")
        return parts
