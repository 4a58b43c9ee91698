"""The live run view: progress, counts, speed, both ETAs and the latest failures."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.polling import LivePoll
from tui.services import RunProgress
from tui.widgets.meters import bar, duration


def progress_lines(p: RunProgress) -> list[str]:
    """The run view's text; every state has a word, not only a colour."""
    if not p.enumerated and p.open:
        head = f"… enumerating: {p.total:,} customers found so far, {p.done:,} done"
    else:
        share = p.done / p.total if p.total else 1.0
        head = f"{bar(p.done, p.total or 1, 30)} {p.done:,}/{p.total:,} ({share:.0%})"
    lines = [
        f"run {p.run_id} of {p.profile_name} · {p.status} · {p.trigger}",
        head,
        " · ".join(f"{name} {count:,}" for name, count in p.counts),
        f"speed {p.per_minute:,.0f}/min · ETA {duration(p.eta_now_s)} at this speed, "
        f"{duration(p.eta_budget_s)} at the budget limit"
        + (f" ({p.cap_days:.1f} days at the daily write cap)" if (p.cap_days or 0) >= 0.1 else ""),
        f"PlentyONE calls {p.api_reads:,} read, {p.api_writes:,} write · "
        f"batches {p.batches_done}/{p.batches}",
    ]
    if p.blackout_until is not None:
        lines.append(f"☾ blackout until {p.blackout_until:%H:%M} UTC: no writes before")
    if p.error:
        lines.append(f"✖ {p.error}")
    if p.failures:
        lines.append("latest failures:")
        lines += [f"  {f.entity_key}: {f.error_class} {f.message}" for f in p.failures]
    return lines


class RunViewScreen(LivePoll[RunProgress], Screen[None]):
    """One run as it moves; ``c`` cancels (asks first), ``R`` resumes a stopped run."""

    CSS_PATH = "run_view.tcss"
    BINDINGS = [
        Binding("c", "cancel_run", "Cancel run", id="run_view.cancel"),
        Binding("R", "resume_run", "Resume", id="run_view.resume"),
        Binding("escape,q", "back", "Back", id="run_view.back"),
    ]
    interval = 1.0

    def __init__(self, run_id: int) -> None:
        super().__init__(id="run-view")
        self.run_id = run_id
        self.progress: RunProgress | None = None

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        with Vertical(id="run-body"):
            yield Static(f"run {self.run_id}: reading…", id="run-progress", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    def fetch(self) -> RunProgress:
        app: Any = self.app
        progress: RunProgress = app.services.run_progress(self.run_id, app.clock())
        return progress

    def show(self, data: RunProgress) -> None:
        changed = self.progress is None or self.progress.open != data.open
        self.progress = data
        self.query_one("#run-progress", Static).update("\n".join(progress_lines(data)))
        if changed:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        p = self.progress
        if action == "cancel_run":
            return (app.services.can_act and (p is None or p.open)) or None
        if action == "resume_run":
            return (app.services.can_act and p is not None and p.resumable) or None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cancel_run(self) -> None:
        from tui.screens.confirm import Confirm

        p = self.progress
        done = f"{p.done:,} of {p.total:,} customers done" if p else "progress unknown"
        question = (
            f"Cancel run {self.run_id}? {done}; batches not started are not worked, the one "
            "in flight finishes. It can be resumed later."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.cancel_run(self.run_id),
                    done=f"run {self.run_id} cancelled",
                    then=self.poll_now,
                )

        self.app.push_screen(Confirm(question), answered)

    def action_resume_run(self) -> None:
        from tui.screens.confirm import Confirm

        p = self.progress
        if p is None:
            return
        left = max(0, p.total - p.done)
        question = f"Resume run {self.run_id}? {left:,} customers are left to work."

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.resume_run(self.run_id),
                    done=f"run {self.run_id} resumed",
                    then=self.poll_now,
                )

        self.app.push_screen(Confirm(question), answered)

    def copy_id(self) -> str | None:
        return str(self.run_id)
