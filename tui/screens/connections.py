"""Screen 5, connections: PlentyONE clients, Magento sources and schedules.

Three tabs (``c``, ``s``, ``h``), each a table; ``n`` new, ``e`` or ``enter`` edit, ``delete``
remove (typed confirmation), ``t`` test the client's or source's connection (one read, in a
thread; the answer in a line and a toast). Secrets are never shown: a table says whether
one is set, a form's masked input starts empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from tui.polling import LivePoll
from tui.services_connections import ConnectionCheck, ConnectionsBoard
from tui.widgets.key_table import KeyTable

SECTIONS = ("clients", "sources", "schedules")
CLIENT_COLUMNS = [
    ("name", "Name"),
    ("url", "URL"),
    ("user", "User"),
    ("password", "Pass"),
    ("plan", "Plan"),
    ("writes", "W/min"),
    ("share", "Share"),
]
SOURCE_COLUMNS = [
    ("name", "Name"),
    ("namespace", "Namespace"),
    ("url", "URL"),
    ("auth", "Auth"),
    ("secrets", "Secrets"),
]
SCHEDULE_COLUMNS = [
    ("name", "Name"),
    ("cron", "Cron"),
    ("zone", "Zone"),
    ("next", "Next"),
    ("profiles", "Profiles"),
]
NOUN = {"clients": "client", "sources": "source", "schedules": "schedule"}


def next_text(moment: dt.datetime | None) -> str:
    return "never" if moment is None else f"{moment:%m-%d %H:%M %Z}"


class ConnectionsScreen(LivePoll[ConnectionsBoard], Screen[None]):
    """Clients, sources, schedules: create, edit, remove, test."""

    CSS_PATH = "connections.tcss"
    BINDINGS = [
        Binding("n", "new", "New", id="connections.new"),
        Binding("e", "edit", "Edit", id="connections.edit"),
        Binding("delete", "remove", "Remove", id="connections.remove"),
        Binding("t", "test", "Test connection", id="connections.test"),
        Binding("c", "section('clients')", "Clients", show=False, id="connections.clients"),
        Binding("s", "section('sources')", "Sources", show=False, id="connections.sources"),
        Binding("h", "section('schedules')", "Schedules", show=False, id="connections.schedules"),
    ]
    interval = 5.0

    def __init__(self) -> None:
        super().__init__(id="connections")
        self.board: ConnectionsBoard | None = None
        self.last_check: ConnectionCheck | None = None

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        with TabbedContent(id="sections", initial="clients"):
            with TabPane("Clients (c)", id="clients"):
                yield KeyTable(CLIENT_COLUMNS, id="clients-table")
            with TabPane("Sources (s)", id="sources"):
                yield KeyTable(SOURCE_COLUMNS, id="sources-table")
            with TabPane("Schedules (h)", id="schedules"):
                yield KeyTable(SCHEDULE_COLUMNS, id="schedules-table")
        yield Static("", id="connections-line", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    # -- live data -------------------------------------------------------------------------

    def fetch(self) -> ConnectionsBoard:
        app: Any = self.app
        board: ConnectionsBoard = app.services.connections_board(app.clock())
        return board

    def show(self, data: ConnectionsBoard) -> None:
        self.board = data
        self.query_one("#clients-table", KeyTable).sync(
            {
                str(c.id): (
                    c.name,
                    c.base_url,
                    c.username,
                    "set" if c.password_set else "-",
                    c.plan or "explicit",
                    f"{c.budget['write_per_minute']:,}",
                    f"{c.budget_share:g}",
                )
                for c in data.clients
            }
        )
        self.query_one("#sources-table", KeyTable).sync(
            {
                str(s.id): (
                    s.name,
                    s.namespace,
                    s.base_url,
                    s.auth_mode,
                    ", ".join(s.secrets_set) + " set" if s.secrets_set else "none set",
                )
                for s in data.sources
            }
        )
        self.query_one("#schedules-table", KeyTable).sync(
            {
                str(s.id): (
                    s.name,
                    s.cron,
                    s.timezone,
                    next_text(s.next_due),
                    ", ".join(s.profiles) or "-",
                )
                for s in data.schedules
            }
        )
        if self.last_check is None:
            self.query_one("#connections-line", Static).update(self.counts_line(data))

    @staticmethod
    def counts_line(data: ConnectionsBoard) -> str:
        if not (data.clients or data.sources or data.schedules):
            return "nothing set up yet: n adds a client here, s and h switch to sources, schedules"
        return (
            f"{len(data.clients)} client(s) · {len(data.sources)} source(s) · "
            f"{len(data.schedules)} schedule(s) · n new · e edit · t test"
        )

    # -- where the cursor is ---------------------------------------------------------------

    @property
    def section(self) -> str:
        return self.query_one("#sections", TabbedContent).active or "clients"

    def table(self, section: str | None = None) -> KeyTable:
        return self.query_one(f"#{section or self.section}-table", KeyTable)

    def selected(self) -> Any:
        """The view of the selected row in the active section, if any."""
        key = self.table().current_key
        if key is None or self.board is None:
            return None
        rows = getattr(self.board, self.section)
        return next((row for row in rows if str(row.id) == key), None)

    def copy_id(self) -> str | None:
        return self.table().current_key

    def action_section(self, section: str) -> None:
        self.query_one("#sections", TabbedContent).active = section
        self.table(section).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()  # "test" is dimmed on schedules
        self.last_check = None
        if self.board is not None:
            self.query_one("#connections-line", Static).update(self.counts_line(self.board))

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        if action in ("new", "edit", "remove") and not app.services.can_act:
            return False
        if action == "test" and self.is_mounted and self.section == "schedules":
            return None  # shown dimmed: a schedule has nothing to connect to
        return True

    def _open_form(self, form: Any) -> None:
        def closed(saved: str | None) -> None:
            if saved:
                self.poll_now()

        self.app.push_screen(form, closed)

    def on_data_table_row_selected(self, event: KeyTable.RowSelected) -> None:
        event.stop()
        self.action_edit()  # enter on a row edits it

    def action_new(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        item = self.selected()
        if item is None:
            self.notify(f"no {NOUN[self.section]} selected: n adds one", severity="warning")
            return
        self._form(item)

    def _form(self, item: Any) -> None:
        """Open the active section's form; what it needs beyond the row is read in a thread."""
        from tui.screens.client_form import ClientFormScreen
        from tui.screens.schedule_form import ScheduleFormScreen
        from tui.screens.source_form import SourceFormScreen

        app: Any = self.app
        section = self.section
        if section == "schedules":
            self._open_form(ScheduleFormScreen(item))
        elif section == "sources":
            app.run_action_in_thread(
                lambda s: s.auth_modes(),
                then_with=lambda modes: self._open_form(SourceFormScreen(modes, item)),
            )
        elif item is None:
            self._open_form(ClientFormScreen())
        else:
            app.run_action_in_thread(
                lambda s: s.client_settings(item.id),
                then_with=lambda settings: self._open_form(ClientFormScreen(item, settings)),
            )

    def action_remove(self) -> None:
        from tui.screens.confirm import Confirm

        item = self.selected()
        section = self.section
        if item is None:
            self.notify(f"no {NOUN[section]} selected", severity="warning")
            return
        noun = NOUN[section]
        question = f"Remove {noun} {item.name!r}? A {noun} that a profile uses is refused; " + (
            "the customer links recorded for it go with it."
            if section == "clients"
            else "nothing in Magento or PlentyONE changes."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: getattr(s, f"remove_{noun}")(item.id),
                    done=f"{noun} {item.name} removed",
                    then=self.poll_now,
                )
            elif yes is False:
                self.notify("not removed: the typed name did not match", severity="warning")

        self.app.push_screen(Confirm(question, typed=item.name), answered)

    def action_test(self) -> None:
        section = self.section
        if section == "schedules":
            self.notify("a schedule has no connection to test", severity="warning")
            return
        item = self.selected()
        if item is None:
            self.notify(f"no {NOUN[section]} selected", severity="warning")
            return
        noun = NOUN[section]
        self.query_one("#connections-line", Static).update(
            f"testing {noun} {item.name} at {item.base_url}…"
        )
        self.app.run_action_in_thread(  # type: ignore[attr-defined]
            lambda s: getattr(s, f"test_{noun}")(item.id), then_with=self.show_check
        )

    def show_check(self, check: ConnectionCheck) -> None:
        self.last_check = check
        line = ("✓ " if check.ok else "✖ ") + check.line()
        self.query_one("#connections-line", Static).update(line)
        self.notify(line, severity="information" if check.ok else "error", markup=False)
