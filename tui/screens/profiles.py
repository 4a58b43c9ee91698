"""Screen 4, the profiles: runnable or the first problem, paused, schedule; new, edit, remove,
export the profile document to a file and import one."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.polling import LivePoll
from tui.services import PlentysyncError
from tui.services_profiles import EditorContext, FieldErrors, ProfileRow
from tui.widgets.key_table import KeyTable

COLUMNS = [
    ("id", "Id"),
    ("name", "Profile"),
    ("connection", "Client → source"),
    ("state", "Runnable"),
    ("paused", "Paused"),
    ("schedule", "Schedule"),
]
ACTING = ("new", "edit", "remove", "import_document")


def open_editor(app: Any, profile_id: int | None, then: Any = None) -> None:
    """Read the editor's start in a thread, then open the editor (``e`` here and on screen 1)."""
    from tui.screens.profile_editor import ProfileEditor

    def opened(context: EditorContext) -> None:
        app.push_screen(ProfileEditor(context), then)

    app.run_action_in_thread(lambda s: s.editor_context(profile_id), then_with=opened)


def state_cell(row: ProfileRow) -> str:
    if row.state == "runnable":
        return "✓ runnable"
    more = f" (+{row.problems - 1})" if row.problems > 1 else ""
    return f"✖ {row.state}{more}"


class ProfilesScreen(LivePoll[list[ProfileRow]], Screen[None]):
    """``n`` new, ``e``/``enter`` edit, ``delete`` remove (typed), ``x`` export, ``i`` import."""

    CSS_PATH = "profiles.tcss"
    BINDINGS = [
        Binding("n", "new", "New", id="profiles.new"),
        Binding("e", "edit", "Edit", id="profiles.edit"),
        Binding("delete", "remove", "Remove", id="profiles.remove"),
        Binding("x", "export_document", "Export", id="profiles.export"),
        Binding("i", "import_document", "Import", id="profiles.import"),
    ]
    interval = 2.0

    def __init__(self) -> None:
        super().__init__(id="profiles")
        self.rows: list[ProfileRow] = []

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        yield Static("reading the profiles…", id="profiles-note", markup=False)
        yield KeyTable(COLUMNS, id="profiles-table")
        yield Footer()

    def on_mount(self) -> None:
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    # -- live data -------------------------------------------------------------------------

    def fetch(self) -> list[ProfileRow]:
        app: Any = self.app
        rows: list[ProfileRow] = app.services.profile_rows()
        return rows

    def show(self, data: list[ProfileRow]) -> None:
        self.rows = data
        runnable = sum(1 for r in data if r.state == "runnable")
        note = (
            f"{len(data)} profile(s), {runnable} runnable · n new · e edit · del remove · "
            "x export · i import"
            if data
            else "no profile yet: n creates one (a client and a source must exist)"
        )
        self.query_one("#profiles-note", Static).update(note)
        self.query_one(KeyTable).sync(
            {
                str(r.id): (
                    str(r.id),
                    r.name,
                    f"{r.client} → {r.source}",
                    state_cell(r),
                    "⏸ paused" if r.paused else "",
                    r.schedule,
                )
                for r in data
            }
        )

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def selected(self) -> ProfileRow | None:
        key = self.query_one(KeyTable).current_key
        return next((r for r in self.rows if str(r.id) == key), None)

    def copy_id(self) -> str | None:
        return self.query_one(KeyTable).current_key

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return app.services.can_act or action not in ACTING

    def _editor_closed(self, saved: bool | None) -> None:
        self.poll_now()

    def action_new(self) -> None:
        open_editor(self.app, None, self._editor_closed)

    def action_edit(self) -> None:
        row = self.selected()
        if row is None:
            self.notify("no profile selected", severity="warning")
            return
        open_editor(self.app, row.id, self._editor_closed)

    def action_remove(self) -> None:
        from tui.screens.confirm import Confirm

        row = self.selected()
        if row is None:
            return
        question = (
            f"Remove profile {row.name!r} with its queue and run history? The links to "
            "PlentyONE contacts stay, so a new profile on the same source finds them again."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.remove_profile(row.id),
                    done=f"profile {row.name!r} removed",
                    then=self.poll_now,
                )
            elif yes is False:
                self.notify("not removed: the typed name did not match", severity="warning")

        self.app.push_screen(Confirm(question, typed=row.name), answered)

    def action_export_document(self) -> None:
        from tui.screens.ask import AskText

        row = self.selected()
        if row is None:
            return

        def chosen(path: str | None) -> None:
            if path:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.export_profile(row.id, path),
                    then_with=lambda where: self.notify(
                        f"profile {row.name!r} written to {where} (no secrets)", markup=False
                    ),
                )

        self.app.push_screen(
            AskText(
                f"Export profile {row.name}",
                "File to write the profile document to:",
                value=f"{row.name}.profile.json",
            ),
            chosen,
        )

    def action_import_document(self) -> None:
        from tui.screens.ask import AskText

        def chosen(path: str | None) -> None:
            if path:
                self._import(path)

        self.app.push_screen(
            AskText("Import a profile", "Profile document to read (JSON, as export writes it):"),
            chosen,
        )

    @work(thread=True, group="import", exclusive=True, exit_on_error=False)
    def _import(self, path: str) -> None:
        app: Any = self.app
        try:
            saved = app.services.import_profile(path)
        except FieldErrors as exc:
            app.call_from_thread(self._refused, path, exc.lines)
            return
        except PlentysyncError as exc:
            app.call_from_thread(self._refused, path, [str(exc)])
            return
        summary = saved.detail.summary
        state = "runnable" if not saved.detail.problems else saved.detail.problems[0]
        app.call_from_thread(
            app.notify, f"profile {summary.name!r} imported: {state}", markup=False
        )
        app.call_from_thread(self.poll_now)

    def _refused(self, path: str, lines: list[str]) -> None:
        from tui.screens.text_view import TextView

        count = len(lines)
        title = f"nothing was imported from {path}: {count} problem{'s' if count != 1 else ''}"
        self.notify(title, severity="error", markup=False)
        self.app.push_screen(TextView(title, lines, view_id="import-problems"))
