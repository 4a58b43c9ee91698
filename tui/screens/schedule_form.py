"""The schedule form: a cron expression in a time zone, its next five fire times as you type.

Each change of the expression or the zone asks the core (in a thread, the latest ask wins)
when it fires next; a refused expression shows the reason under its field and cannot be
saved. The times are those of the schedule's own zone, counted from the app's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Static

from tui.screens.form import FormScreen
from tui.services import PlentysyncError
from tui.services_connections import FieldErrors, ScheduleForm, ScheduleView

CRON_HELP = "minute hour day month weekday, e.g. 0 2 * * * or */15 8-18 * * mon-fri"


def fire_lines(times: tuple[dt.datetime, ...]) -> str:
    """The next fire times, one a line, as the operator reads them."""
    if not times:
        return "never fires again"
    return "\n".join(f"{t:%a %Y-%m-%d %H:%M %Z}" for t in times)


class ScheduleFormScreen(FormScreen):
    """New schedule (``schedule`` None) or an existing one (its name stays)."""

    DEFAULT_CSS = """
    ScheduleFormScreen #fire-times { height: auto; padding: 0 1; color: $success; }
    """

    def __init__(self, schedule: ScheduleView | None = None) -> None:
        super().__init__(form_id="schedule-form")
        self.schedule = schedule
        self.form_title = f"Schedule {schedule.name}" if schedule else "New schedule"
        self.fire_times: tuple[dt.datetime, ...] | None = None
        self.cron_ok = False
        self._asked = 0

    def fields(self) -> Iterator[Widget]:
        schedule = self.schedule
        yield from self.field(
            "name",
            "Name",
            Input(schedule.name if schedule else "", disabled=schedule is not None),
        )
        yield from self.field(
            "timezone",
            "Time zone",
            Input(schedule.timezone if schedule else "UTC", placeholder="Europe/Berlin"),
        )
        yield from self.field(
            "cron", "Cron expression", Input(schedule.cron if schedule else "0 2 * * *"), CRON_HELP
        )
        yield Static("Next five fire times", classes="field-label")
        yield Static("…", id="fire-times", markup=False)

    def on_mount(self) -> None:
        self.ask_fire_times()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("f-cron", "f-timezone"):
            self.ask_fire_times()

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def ask_fire_times(self) -> None:
        self._asked += 1
        asked, cron, zone = self._asked, self.value("cron"), self.value("timezone")
        app: Any = self.app
        now = app.clock()

        def work() -> None:
            try:
                times = app.services.next_fire_times(cron, zone, now)
            except PlentysyncError as exc:
                app.call_from_thread(self._show_fire_times, asked, None, exc)
                return
            app.call_from_thread(self._show_fire_times, asked, times, None)

        self.run_worker(work, thread=True, group="fire-times", exit_on_error=False)

    def _show_fire_times(
        self,
        asked: int,
        times: tuple[dt.datetime, ...] | None,
        exc: PlentysyncError | None,
    ) -> None:
        if asked != self._asked:
            return  # an older answer: the expression changed meanwhile
        self.fire_times = times
        self.cron_ok = times is not None
        errors = exc.errors if isinstance(exc, FieldErrors) else ()
        for path in ("cron", "timezone"):
            messages = [f"✖ {e.message}" for e in errors if e.path == path]
            self.set_error(path, "\n".join(messages))
        shown = self.query_one("#fire-times", Static)
        if times is not None:
            shown.update(fire_lines(times))
        else:
            shown.update("— none: the expression is refused" if errors else f"— {exc}")

    def save_call(self) -> Any:
        form = ScheduleForm(
            name=self.value("name"), cron=self.value("cron"), timezone=self.value("timezone")
        )
        schedule_id = self.schedule.id if self.schedule else None
        return lambda services: services.save_schedule(form, schedule_id)
