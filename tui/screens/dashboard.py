"""Screen 1, the dashboard: a row per profile, the selected one's budget and problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.polling import LivePoll
from tui.services import Dashboard
from tui.widgets.key_table import KeyTable
from tui.widgets.meters import bar, compact, sparkline

COLUMNS = [
    ("name", "Profile"),
    ("state", "State"),
    ("last", "Last run"),
    ("queue", "Queue ✖"),
    ("next", "Next"),
    ("spark", "30 min"),
]


def age(moment: dt.datetime | None, now: dt.datetime) -> str:
    """``20m``, ``2h``, ``3d``: short, so a row fits 80 columns."""
    if moment is None:
        return "-"
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 3600:
        return f"{seconds // 60:.0f}m"
    if seconds < 86_400 * 2:
        return f"{seconds // 3600:.0f}h"
    return f"{seconds // 86_400:.0f}d"


def pairs(values: tuple[int, ...]) -> list[int]:
    """Two minutes per character: 30 minutes in 15 columns."""
    return [sum(values[i : i + 2]) for i in range(0, len(values), 2)]


class DashboardScreen(LivePoll[Dashboard], Screen[None]):
    """Every profile at a glance; ``x`` runs the selected one, ``i`` says why it does not."""

    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        Binding("x", "run", "Run", id="dashboard.run"),
        Binding("d", "dry_run", "Dry run", id="dashboard.dry_run"),
        Binding("p", "pause", "Pause", id="dashboard.pause"),
        Binding("i", "explain", "Why", id="dashboard.explain"),
        Binding("u", "queue", "Queue", show=False, id="dashboard.queue"),
        Binding("e", "edit", "Edit profile", show=False, id="dashboard.edit"),
        Binding("enter", "open_run", "Run view", id="dashboard.open_run"),
        Binding("slash", "filter", "Filter", id="dashboard.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="dashboard.clear"),
    ]
    interval = 1.0

    def __init__(self) -> None:
        super().__init__(id="dashboard")
        self.board: Dashboard | None = None
        self.filter_text = ""

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        with Vertical(id="body"):
            yield KeyTable(COLUMNS, id="profiles")
            yield Static("", id="detail", markup=False)
        yield Input(placeholder="filter profiles (esc clears)", id="filter")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    # -- live data -------------------------------------------------------------------------

    def fetch(self) -> Dashboard:
        app: Any = self.app
        board: Dashboard = app.services.dashboard(app.clock())
        return board

    def show(self, data: Dashboard) -> None:
        app: Any = self.app
        self.board = data
        app.show_dashboard(data)
        now = data.read_at
        wanted = {
            str(row.id): (
                row.name,
                row.state_text,
                f"{row.last_run_status or '-'} {age(row.last_run_at, now)}"
                if row.last_run_id
                else "never",
                f"{compact(row.queue_pending)} {compact(row.queue_failed)}",
                f"{row.next_run_at:%H:%M}" if row.next_run_at else "-",
                sparkline(pairs(row.sparkline)),
            )
            for row in data.rows
            if self.filter_text.lower() in row.name.lower()
        }
        self.query_one(KeyTable).sync(wanted)
        self.show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def selected(self) -> Any:
        key = self.query_one(KeyTable).current_key
        if self.board is None or key is None:
            return None
        return next((row for row in self.board.rows if str(row.id) == key), None)

    def show_detail(self) -> None:
        row, board = self.selected(), self.board
        if board is None:
            return
        lines = []
        if row is not None:
            lines.append(
                f"{row.name}: {row.state_text} · {row.sparkline[-1]} customers in the last "
                f"minute · client {row.client}"
            )
            for meter in board.budgets:
                if meter.client != row.client:
                    continue
                used, used_day = meter.minute_used, meter.day_used
                day = "no daily limit"
                if used_day is not None and meter.day_limit is not None:
                    day = (
                        f"{bar(used_day, meter.day_limit, 10)} {compact(used_day)}/"
                        f"{compact(meter.day_limit)} today"
                    )
                lines.append(
                    f"{meter.kind:<5} {bar(used, meter.minute_limit, 10)} {compact(used)}/"
                    f"{compact(meter.minute_limit)} a minute  {day}"
                )
        if row is not None:
            lines.append(f"last 30 min {sparkline(row.sparkline)} (a block a minute)")
        lines.append("workers: " + (", ".join(board.workers) or "none alive"))
        lines += [f"⚠ {problem}" for problem in board.problems] or ["✓ no problems"]
        self.query_one("#detail", Static).update("\n".join(lines))

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return app.services.can_act or action not in ("run", "dry_run", "pause", "edit")

    def action_run(self) -> None:
        self._open_dialog(dry_run=False)

    def action_dry_run(self) -> None:
        self._open_dialog(dry_run=True)

    def _open_dialog(self, *, dry_run: bool) -> None:
        from tui.screens.run_dialog import RunDialog

        row = self.selected()
        if row is None:
            self.notify("no profile selected", severity="warning")
            return
        self.app.push_screen(RunDialog(row.id, row.name, dry_run=dry_run))

    def action_pause(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.run_action_in_thread(  # type: ignore[attr-defined]
                lambda s: s.set_paused(row.id, row.state != "paused"),
                done=f"profile {row.name} " + ("resumed" if row.state == "paused" else "paused"),
                then=self.poll_now,
            )

    def action_explain(self) -> None:
        from tui.screens.text_view import TextView

        row = self.selected()
        if row is None:
            return
        app: Any = self.app

        def shown(result: Any) -> None:
            verdict = "running" if result.running else "not running"
            app.push_screen(TextView(f"{result.profile}: {verdict}", result.reasons))

        app.run_action_in_thread(lambda s: s.explain(row.id, app.clock()), then_with=shown)

    def action_queue(self) -> None:
        from tui.screens.queue import open_queue

        row = self.selected()
        if row is not None:
            open_queue(self.app, row.id)

    def action_edit(self) -> None:
        from tui.screens.profiles import open_editor

        row = self.selected()
        if row is not None:
            open_editor(self.app, row.id)

    def action_open_run(self) -> None:
        from tui.screens.run_view import RunViewScreen

        row = self.selected()
        run_id = (row.run_id or row.last_run_id) if row is not None else None
        if run_id is not None:
            self.app.push_screen(RunViewScreen(run_id))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self.filter_text = ""
        self.query_one(KeyTable).focus()
        if self.board is not None:
            self.show(self.board)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value
            if self.board is not None:
                self.show(self.board)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(KeyTable).focus()

    def copy_id(self) -> str | None:
        row = self.selected()
        return None if row is None else str(row.id)
