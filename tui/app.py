"""The plentysync terminal UI: the app shell, its global keys and the embedded lifecycle.

The shell owns what every screen shares: the status header, the screen tabs, the command
palette, help, pause of live updates, copying the selected id, the log screen and quitting.
In embedded mode it also owns the worker running in this process: started on mount,
stopped within ``stop_timeout`` seconds when the app ends (quit, SIGHUP, a lost terminal),
with a guard before quitting while a run is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import logging
import signal
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.commands import PlentysyncCommands
from tui.log_panel import MemoryLog, keep_off_terminal
from tui.screens import NUMBERED
from tui.services import Dashboard, PlentysyncError, Services
from tui.widgets.status_header import StatusHeader

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
STOP_TIMEOUT = 10.0
SLOW_POLL = 3.0


def utc_now() -> dt.datetime:
    """Now, naive UTC, as the database keeps time."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _screen_factory(module: str, name: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return make


class PlentysyncApp(App[int]):
    """Watch and operate every profile live, from the keyboard."""

    TITLE = "plentysync"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {PlentysyncCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        name: _screen_factory(module, cls) for _key, name, _title, module, cls in NUMBERED
    }
    DEFAULT_MODE = "dashboard"
    CSS = """
    #screen-tabs { height: 1; color: $text-muted; background: $panel; }
    """
    BINDINGS: ClassVar[list[Any]] = [
        *(
            Binding(key, f"switch_mode('{name}')", title, show=False, id=f"app.screen.{name}")
            for key, name, title, _module, _cls in NUMBERED
        ),
        Binding("colon", "command_palette", "Commands", show=False, id="app.palette"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("space", "toggle_pause", "Pause updates", show=False, id="app.pause"),
        Binding("r", "refresh_screen", "Refresh", show=False, id="app.refresh"),
        Binding("y", "copy_id", "Copy id", show=False, id="app.copy_id"),
        Binding("l", "show_log", "Log", show=False, id="app.log"),
        Binding("S", "save_svg", "Save screenshot", show=False, id="app.screenshot"),
        Binding("q", "back_or_quit", "Quit", id="app.back_or_quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        services: Services,
        *,
        clock: Clock = utc_now,
        theme: str | None = None,
        memory_log: MemoryLog | None = None,
        stop_timeout: float = STOP_TIMEOUT,
        manage_logging: bool = True,
    ) -> None:
        super().__init__()
        self.services = services
        self.clock = clock
        self.memory_log = memory_log or MemoryLog()
        self.stop_timeout = stop_timeout
        self.paused = False
        self.last_dashboard: Dashboard | None = None
        self.trouble: str | None = None
        self.exit_status = 0
        self._manage_logging = manage_logging
        if theme:
            self.theme = theme

    # -- lifecycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self._manage_logging:
            keep_off_terminal(self.memory_log)
        if self.services.start_embedded():
            log.info("embedded worker and scheduler started in the TUI's process")
        self.set_interval(1.0, self._note_slow_poll)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            # Textual runs the loop in the main thread; SIGHUP means the SSH session dropped.
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hung_up)

    def _hung_up(self) -> None:
        log.warning("SIGHUP: the terminal went away; stopping the embedded worker")
        self.exit(0)

    def _note_slow_poll(self) -> None:
        """``data 3 s old`` in the header while a poll takes longer than ``SLOW_POLL`` s."""
        age_of = getattr(self.screen, "data_age", None)
        age = age_of() if age_of is not None else None
        shown = age if age is not None and age > SLOW_POLL else None
        for header in self._headers():
            if header.stale_for != shown:
                header.stale_for = shown
                header.refresh_line()

    async def on_unmount(self) -> None:
        await asyncio.to_thread(self.stop_worker)

    def stop_worker(self) -> bool:
        """Stop the embedded worker within the bound; says so in the log when it did not."""
        stopped = self.services.stop_embedded(self.stop_timeout)
        if not stopped:
            log.warning(
                "the embedded worker did not stop within %.0f s; leaving it: its leases "
                "expire and its claims keep other workers from duplicating its work",
                self.stop_timeout,
            )
        return stopped

    # -- the chrome every screen shows -----------------------------------------------------

    def chrome(self) -> Iterator[Widget]:
        """The status header and the screen tabs, for the top of each screen."""
        header = StatusHeader(self.services.mode, self.services.database_label())
        header.dashboard, header.trouble, header.paused = (
            self.last_dashboard,
            self.trouble,
            self.paused,
        )
        yield header
        tabs = "  ".join(f"{key} {title}" for key, _name, title, _m, _c in NUMBERED)
        yield Static(" " + tabs, id="screen-tabs", markup=False)

    def _headers(self) -> Iterable[StatusHeader]:
        return self.screen.query(StatusHeader)

    def show_dashboard(self, data: Dashboard) -> None:
        self.last_dashboard = data
        for header in self._headers():
            header.show(data, self.trouble)

    def report_database(self, exc: Exception | None, retry_in: float = 0.0) -> None:
        """One header line for a failing poll (never a traceback); None clears it."""
        if exc is None:
            if self.trouble is None:
                return
            self.trouble = None
        else:
            if not isinstance(exc, PlentysyncError):
                log.error("a poll failed", exc_info=exc)
            self.trouble = (
                f"✖ database: {str(exc).splitlines()[0][:120]} · retry in {retry_in:.0f} s"
            )
        for header in self._headers():
            header.show(trouble=self.trouble)

    # -- actions ---------------------------------------------------------------------------

    def run_action_in_thread(
        self,
        call: Callable[[Services], Any],
        *,
        done: str | None = None,
        then: Callable[[], None] | None = None,
        then_with: Callable[[Any], None] | None = None,
    ) -> None:
        """Call the façade in a thread; errors become a one-line toast in the CLI's words."""

        def work() -> None:
            try:
                result = call(self.services)
            except PlentysyncError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
                return
            except Exception as exc:
                log.exception("an action failed")
                self.call_from_thread(
                    self.notify,
                    f"unexpected error, details in the log (l): {exc}",
                    severity="error",
                    markup=False,
                )
                return
            if done:
                self.call_from_thread(self.notify, done, markup=False)
            if then is not None:
                self.call_from_thread(then)
            if then_with is not None:
                self.call_from_thread(then_with, result)

        self.run_worker(work, thread=True, group="actions", exit_on_error=False)

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        for header in self._headers():
            header.paused = self.paused
            header.refresh_line()
        if not self.paused:
            self.action_refresh_screen()

    def action_refresh_screen(self) -> None:
        poll = getattr(self.screen, "poll_now", None)
        if poll is not None:
            poll()

    def action_copy_id(self) -> None:
        copy = getattr(self.screen, "copy_id", None)
        value = copy() if copy is not None else None
        if value is None:
            self.notify("nothing selected to copy", severity="warning")
            return
        self.copy_to_clipboard(value)  # OSC 52: reaches the clipboard over SSH too
        self.notify(f"copied {value}")

    def action_help(self) -> None:
        from tui.screens.text_view import TextView

        lines = [f"{key:<10} {description}" for key, description in self.key_help(self.screen)]
        self.push_screen(TextView("Keys", lines, view_id="help"))

    def key_help(self, screen: Screen[Any]) -> list[tuple[str, str]]:
        """(key, description) of every binding active on ``screen``, the screen's first."""
        seen: list[tuple[str, str]] = []
        for node in (screen, self):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    entry = (self.get_key_display(binding), binding.description)
                    if binding.description and entry not in seen:
                        seen.append(entry)
        return seen

    def action_save_svg(self) -> None:
        """Save what the screen shows as an SVG in the working directory (for reports)."""
        path = self.save_screenshot(f"plentysync-{self.screen.id or 'screen'}.svg")
        self.notify(f"screenshot saved: {path}", markup=False)

    def action_show_log(self) -> None:
        from tui.screens.text_view import TextView

        self.push_screen(TextView("Log", list(self.memory_log.lines), view_id="log"))

    def action_back_or_quit(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        else:
            self.run_worker(self._guarded_quit, thread=True, group="quit", exit_on_error=False)

    async def action_quit(self) -> None:
        self.run_worker(self._guarded_quit, thread=True, group="quit", exit_on_error=False)

    def _guarded_quit(self) -> None:
        try:
            in_flight = self.services.open_runs()
        except PlentysyncError:
            in_flight = []
        self.call_from_thread(self._confirm_quit, in_flight)

    def _confirm_quit(self, in_flight: list[int]) -> None:
        from tui.screens.confirm import Confirm

        if not in_flight:
            self.exit(self.exit_status)
            return
        runs = ", ".join(map(str, in_flight))
        question = (
            f"{len(in_flight)} run(s) in flight in this TUI's worker ({runs}). Quitting stops "
            f"the worker within {self.stop_timeout:.0f} s; what is left waits for the next "
            "worker (leases expire, claims prevent duplicates). Quit now?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.notify("stopping the embedded worker…")
                self.exit(self.exit_status)

        self.push_screen(Confirm(question), answered)

    # -- the command palette ---------------------------------------------------------------

    def services_palette_entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Profiles, recent runs and screens (read in a thread when the palette opens)."""
        entries: list[tuple[str, str, Callable[[], Any]]] = []
        for key, name, title, _m, _c in NUMBERED:
            entries.append((f"screen: {title}", f"key {key}", partial(self.switch_mode, name)))
        try:
            for profile in self.services.profiles():
                entries.append(
                    (
                        f"profile: {profile.name}",
                        f"select profile {profile.id} on the dashboard",
                        partial(self.select_profile, profile.id),
                    )
                )
            for run in self.services.recent_runs():
                entries.append(
                    (
                        f"run {run.run}: {run.profile_name} {run.status}",
                        f"open the run view (created {run.created_at:%Y-%m-%d %H:%M})",
                        partial(self.open_run, run.run),
                    )
                )
        except PlentysyncError as exc:
            log.warning("palette: %s", exc)
        return entries

    def action_entries(self, screen: Screen[Any]) -> list[tuple[str, str, Callable[[], Any]]]:
        """Every action of ``screen`` and of the app, by its description."""
        entries: list[tuple[str, str, Callable[[], Any]]] = []
        for node in (screen, self):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not binding.description or binding.action == "command_palette":
                        continue
                    entries.append(
                        (
                            f"action: {binding.description}",
                            f"key {self.get_key_display(binding)}",
                            partial(self.run_action, binding.action, node),
                        )
                    )
        return entries

    def open_run(self, run_id: int) -> None:
        from tui.screens.run_view import RunViewScreen

        self.push_screen(RunViewScreen(run_id))

    def select_profile(self, profile_id: int) -> None:
        self.switch_mode("dashboard")
        table = self.screen.query("#profiles")
        if table:
            with contextlib.suppress(Exception):
                widget: Any = table.first()
                widget.move_cursor(row=widget.get_row_index(str(profile_id)))
