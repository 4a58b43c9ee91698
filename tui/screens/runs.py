"""Screen 2, runs and history: every run newest first, filtered, live; ``enter`` opens one."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.polling import LivePoll
from tui.services import PlentysyncError, RunFilter, RunSummary
from tui.services_runs import RUNS_SHOWN, describe_filter, parse_run_filter
from tui.widgets.key_table import KeyTable
from tui.widgets.meters import compact, duration

COLUMNS = [
    ("run", "Run"),
    ("profile", "Profile"),
    ("status", "Status"),
    ("trigger", "Trigger"),
    ("done", "Done"),
    ("failed", "✖"),
    ("when", "Created"),
    ("took", "Took"),
]

MARKS = {"done": "✓", "failed": "✖", "stale": "?", "cancelled": "⊘", "running": "▶"}


def run_cells(run: RunSummary) -> tuple[Any, ...]:
    """One row; the status carries a mark as well as its word (no colour needed)."""
    mark = MARKS.get(run.status, "·")
    return (
        run.run,
        run.profile_name[:12],
        f"{mark} {run.status}",
        run.trigger[:9],
        f"{compact(run.done)}/{compact(run.total)}",
        compact(run.failed) if run.failed else "-",
        f"{run.created_at:%m-%d %H:%M}",
        duration(run.seconds) if run.seconds is not None else "-",
    )


class RunsScreen(LivePoll[list[RunSummary]], Screen[None]):
    """Runs newest first; ``/`` filters by profile, status, trigger or error class."""

    CSS_PATH = "runs.tcss"
    BINDINGS = [
        Binding("enter", "open_detail", "Detail", id="runs.detail"),
        Binding("v", "open_view", "Run view", id="runs.view"),
        Binding("slash", "filter", "Filter", id="runs.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="runs.clear"),
    ]
    interval = 2.0

    def __init__(self) -> None:
        super().__init__(id="runs")
        self.wanted = RunFilter(limit=RUNS_SHOWN)
        self.shown: list[RunSummary] = []

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        yield Static("", id="runs-filter-line", markup=False)
        yield KeyTable(COLUMNS, id="runs-table")
        yield Input(
            placeholder="profile=NAME status=failed|error trigger=manual class=ValidationError",
            id="runs-filter",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#runs-filter").display = False
        self.show_filter_line()
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    def fetch(self) -> list[RunSummary]:
        app: Any = self.app
        try:
            runs: list[RunSummary] = app.services.runs(self.wanted)
        except PlentysyncError as exc:  # the filter names no such profile or status
            if not describe_filter(self.wanted):
                raise
            app.call_from_thread(self._refused_filter, str(exc))
            return []
        return runs

    def _refused_filter(self, message: str) -> None:
        self.wanted = RunFilter(limit=RUNS_SHOWN)
        self.notify(f"{message}; showing all runs", severity="error", markup=False)

    def show(self, data: list[RunSummary]) -> None:
        self.shown = data
        table = self.query_one(KeyTable)
        table.sync({str(run.run): run_cells(run) for run in data})
        order = [str(run.run) for run in data]  # newest first, as the listing says
        if [row.key.value for row in table.ordered_rows] != order:
            current = table.current_key
            table.sort("run", reverse=True)
            if current is not None and current in order:
                table.move_cursor(row=table.get_row_index(current))
        self.show_filter_line()

    def show_filter_line(self) -> None:
        described = describe_filter(self.wanted)
        count = f"{len(self.shown)} run(s)"
        if len(self.shown) >= RUNS_SHOWN:
            count += " (the newest)"
        text = f"filter: {described} · {count}" if described else f"all runs · {count}"
        self.query_one("#runs-filter-line", Static).update(text + " · enter details · / filters")

    def selected(self) -> int | None:
        key = self.query_one(KeyTable).current_key
        return None if key is None else int(key)

    def action_open_detail(self) -> None:
        from tui.screens.run_detail import RunDetailScreen

        run_id = self.selected()
        if run_id is not None:
            self.app.push_screen(RunDetailScreen(run_id))

    def on_data_table_row_selected(self) -> None:
        self.action_open_detail()  # enter on the table

    def action_open_view(self) -> None:
        run_id = self.selected()
        if run_id is not None:
            self.app.open_run(run_id)  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        field = self.query_one("#runs-filter", Input)
        field.value = describe_filter(self.wanted)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#runs-filter", Input)
        field.display = False
        self.query_one(KeyTable).focus()
        if describe_filter(self.wanted):
            self.wanted = RunFilter(limit=RUNS_SHOWN)
            self.poll_now()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "runs-filter":
            return
        try:
            self.wanted = parse_run_filter(event.value)
        except PlentysyncError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        event.input.display = False
        self.query_one(KeyTable).focus()
        self.poll_now()

    def copy_id(self) -> str | None:
        run_id = self.selected()
        return None if run_id is None else str(run_id)
