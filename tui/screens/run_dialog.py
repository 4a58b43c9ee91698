"""The run dialog: which customers, how, the estimate, and why a profile cannot run."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.services import PlentysyncError, RunRequest, parse_ids
from tui.widgets.marked_checkbox import MarkedCheckbox


class RunDialog(ModalScreen[None]):
    """Start a run (or a dry run) of one profile; ``ctrl+s`` starts, ``esc`` closes."""

    CSS_PATH = "run_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="run_dialog.start"),
        Binding("escape", "close", "Close", id="run_dialog.close"),
    ]

    def __init__(self, profile_id: int, profile_name: str, *, dry_run: bool = False) -> None:
        super().__init__(id="run-dialog")
        self.profile_id = profile_id
        self.profile_name = profile_name
        self.dry_run = dry_run
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = f"Run {self.profile_name}"
            yield Label("Customer ids (empty: all; ranges such as 1-100,250)")
            yield Input(id="ids", placeholder="all customers")
            yield Static("", id="ids-error", markup=False)
            yield Label("Limit (empty: no limit)")
            yield Input(id="limit", placeholder="no limit", type="integer")
            with Horizontal(id="switches"):
                yield MarkedCheckbox("new only", id="new-only")
                yield MarkedCheckbox("force", id="force")
                yield MarkedCheckbox("dry run", value=self.dry_run, id="dry-run")
                yield MarkedCheckbox("live", id="live")
            yield Static("estimating…", id="estimate", markup=False)
            yield Static("", id="problems", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Start  ^s", id="start", variant="primary")
                yield Button("Close  esc", id="close")

    def on_mount(self) -> None:
        self.query_one("#ids", Input).focus()
        self.check_profile(self.request_or_none() or RunRequest())

    def request_or_none(self) -> RunRequest | None:
        """The request the form describes; None (with the error shown) when ids do not parse."""
        ids = self.query_one("#ids", Input).value.strip()
        error = self.query_one("#ids-error", Static)
        try:
            if ids:
                parse_ids(ids)
        except PlentysyncError as exc:
            error.update(f"✖ {exc}")
            return None
        error.update("")
        limit_text = self.query_one("#limit", Input).value.strip()
        return RunRequest(
            entity_ids=ids,
            new_only=self.query_one("#new-only", Checkbox).value,
            force=self.query_one("#force", Checkbox).value,
            dry_run=self.query_one("#dry-run", Checkbox).value,
            live=self.query_one("#live", Checkbox).value,
            limit=int(limit_text) if limit_text.isdigit() and int(limit_text) > 0 else None,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        request = self.request_or_none()
        if request is not None:
            self.check_profile(request)

    @work(thread=True, exclusive=True, group="estimate", exit_on_error=False)
    def check_profile(self, request: RunRequest) -> None:
        app: Any = self.app
        try:
            problems = app.services.runnable_problems(self.profile_id)
            estimate = app.services.estimate(self.profile_id, request) if not problems else ""
        except PlentysyncError as exc:
            problems, estimate = [], f"no estimate: {exc}"
        app.call_from_thread(self._checked, problems, estimate)

    def _checked(self, problems: list[str], estimate: str) -> None:
        self.problems = problems
        self.query_one("#estimate", Static).update(estimate)
        self.query_one("#problems", Static).update(
            "\n".join(f"⚠ not runnable: {p}" for p in problems)
        )
        self.query_one("#start", Button).disabled = bool(problems)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_start(self) -> None:
        request = self.request_or_none()
        if request is None or self.problems:
            return
        self.query_one("#start", Button).disabled = True
        self.start(request)

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def start(self, request: RunRequest) -> None:
        app: Any = self.app
        try:
            if request.dry_run:
                result: Any = app.services.dry_run_plan(self.profile_id, request)
            else:
                result = app.services.start_run(self.profile_id, request)
        except PlentysyncError as exc:
            app.call_from_thread(self._refused, str(exc))
            return
        app.call_from_thread(self._started, result)

    def _refused(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)
        self.query_one("#start", Button).disabled = False

    def _started(self, result: Any) -> None:
        from tui.screens.dry_run import DryRunScreen
        from tui.screens.run_view import RunViewScreen

        self.dismiss(None)
        if hasattr(result, "run_id"):
            self.notify(f"run {result.run_id} started ({result.executor})")
            self.app.push_screen(RunViewScreen(result.run_id))
        else:
            self.app.push_screen(DryRunScreen(result))
