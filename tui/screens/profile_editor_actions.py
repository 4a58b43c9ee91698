"""The profile editor's keys for what it reads from the two systems, mixed into the editor.

``ctrl+g`` collects the configuration of the chosen client and source (the Selects then offer
it), ``ctrl+b`` deletes what was collected, ``ctrl+t`` tests a saved profile's connection
with reads only, ``ctrl+r`` creates a referrer in PlentyONE. Each talks to the façade in a
thread and then redraws the choices.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widgets import Select, Static

from tui.screens.profile_choices import COLLECT_KEY, choice_hints, choice_options
from tui.services import PlentysyncError
from tui.services_profiles import ProfileChoices


class ConfigurationActions:
    """Collect, forget, test and create a referrer; the editor supplies the document."""

    def _connection(self) -> tuple[str, str]:
        screen: Any = self
        document = screen.document()
        return document["client"], document["source"]

    def on_select_changed(self, event: Select.Changed) -> None:
        screen: Any = self
        if event.select.id not in ("f-client", "f-source") or screen.choices is None:
            return
        shown = (screen.choices.client.client_name, screen.choices.source.source_name)
        if screen._connection() != shown:  # another client or source: its choices
            screen._reload_choices(*screen._connection(), collect=False)

    def action_collect(self) -> None:
        screen: Any = self
        screen.notify("collecting configuration from PlentyONE and Magento…")
        screen._reload_choices(*screen._connection(), collect=True)

    @work(thread=True, group="choices", exclusive=True, exit_on_error=False)
    def _reload_choices(self, client: str, source: str, collect: bool) -> None:
        screen: Any = self
        app: Any = screen.app
        try:
            if collect:
                found = app.services.collect_config(client, source)
                counts = "; ".join(
                    f"{c.kind} {c.name}: "
                    + ", ".join(f"{n} {kind}" for kind, n in c.counts.items())
                    for c in found
                )
                app.call_from_thread(app.notify, f"collected {counts}", markup=False)
            choices = app.services.profile_choices(client, source)
        except PlentysyncError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
            return
        app.call_from_thread(screen.show_choices, choices)

    async def show_choices(self, choices: ProfileChoices) -> None:
        screen: Any = self
        if choices == screen.choices:
            return  # nothing new: the forms stay as they are (and keep the focus)
        screen.choices = choices  # forms not drawn yet take them when they are
        options, hints = choice_options(screen.context, choices), choice_hints(choices)
        for form in screen.forms().values():
            await form.set_options(options, hints)
        screen.query_one("#editor-collected", Static).update(screen._collected_line())

    def action_forget(self) -> None:
        screen: Any = self
        from tui.screens.confirm import Confirm

        client, source = screen._connection()
        question = (
            f"Delete what was collected for client {client!r} and source {source!r}? Their "
            f"profiles cannot run until it is collected again ({COLLECT_KEY})."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                screen._forget(client, source)

        screen.app.push_screen(Confirm(question), answered)

    @work(thread=True, group="choices", exclusive=True, exit_on_error=False)
    def _forget(self, client: str, source: str) -> None:
        screen: Any = self
        app: Any = screen.app
        try:
            app.services.forget_config(client, source)
            choices = app.services.profile_choices(client, source)
        except PlentysyncError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
            return
        app.call_from_thread(app.notify, "collected configuration deleted")
        app.call_from_thread(screen.show_choices, choices)

    def action_test_connection(self) -> None:
        screen: Any = self
        if screen.profile_id is None:
            screen.notify("save the profile first: the test reads through a saved profile")
            return
        screen.notify("testing the connection (reads only)…")
        screen._test(screen.profile_id)

    @work(thread=True, group="test", exclusive=True, exit_on_error=False)
    def _test(self, profile_id: int) -> None:
        screen: Any = self
        from tui.screens.text_view import TextView

        app: Any = screen.app
        try:
            report = app.services.connection_checks(profile_id)
        except PlentysyncError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
            return
        lines = [f"{c.status:>7}  {c.name}: {c.message}" for c in report.checks]
        lines.append("")
        lines.append("every check passed" if report.ok else "✖ a check failed")
        app.call_from_thread(
            app.push_screen, TextView(f"Connection of {report.profile}", lines, view_id="checks")
        )

    def action_new_referrer(self) -> None:
        screen: Any = self
        from tui.screens.ask import AskText

        client, source = screen._connection()

        def named(name: str | None) -> None:
            if name:
                screen._referrer(client, source, name)

        screen.app.push_screen(
            AskText("New referrer", f"Name of the referrer to create in PlentyONE ({client}):"),
            named,
        )

    @work(thread=True, group="choices", exclusive=True, exit_on_error=False)
    def _referrer(self, client: str, source: str, name: str) -> None:
        screen: Any = self
        app: Any = screen.app
        try:
            made = app.services.create_referrer(client, name)
            choices = app.services.profile_choices(client, source)
        except PlentysyncError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
            return
        app.call_from_thread(app.notify, f"referrer {made.id} {made.name!r} created", markup=False)
        app.call_from_thread(screen.show_choices, choices)
