"""The conflicts of one profile: customers whose latest export found several matching contacts.

Pushed from the customers screen (``c``). ``s`` settles the selected one: the contacts that
match it now are read from PlentyONE (read only), you choose one, a confirmation names what
happens, and the customer is linked to it. ``enter`` goes back and looks the customer up.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.services_customers import Candidates, ConflictView
from tui.widgets.key_table import KeyTable

COLUMNS = [("customer", "Customer"), ("run", "Run"), ("at", "When"), ("message", "Found")]


class ConflictsScreen(Screen[str | None]):
    """``s`` resolves (choose a candidate), ``enter`` looks the customer up, ``esc`` back."""

    CSS_PATH = "customer_conflicts.tcss"
    BINDINGS = [
        Binding("s", "resolve", "Resolve", id="conflicts.resolve"),
        Binding("escape", "back", "Back", id="conflicts.back"),
    ]

    def __init__(self, profile_id: int, profile_name: str) -> None:
        super().__init__(id="customer-conflicts")
        self.profile_id = profile_id
        self.profile_name = profile_name
        self.conflicts: tuple[ConflictView, ...] | None = None

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        yield Static("reading the conflicts…", id="conflicts-head", markup=False)
        yield KeyTable(COLUMNS, id="conflicts-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(KeyTable).focus()
        self.poll_now()

    def poll_now(self) -> None:
        """Read the conflicts again (also ``r``)."""
        profile_id = self.profile_id
        self.app.run_action_in_thread(  # type: ignore[attr-defined]
            lambda s: s.customer_conflicts(profile_id), then_with=self.show
        )

    def show(self, conflicts: tuple[ConflictView, ...]) -> None:
        self.conflicts = conflicts
        count = len(conflicts)
        head = (
            f"{count} conflict(s) of {self.profile_name}: several contacts match each; "
            "s chooses one, enter looks it up"
            if count
            else f"no conflicts in {self.profile_name}: every customer found one contact or none"
        )
        self.query_one("#conflicts-head", Static).update(head)
        self.query_one(KeyTable).sync(
            {
                c.customer_id: (c.customer_id, c.run, f"{c.at:%m-%d %H:%M}", c.message)
                for c in conflicts
            }
        )

    def selected(self) -> str | None:
        return self.query_one(KeyTable).current_key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return app.services.can_act or action != "resolve"

    def action_resolve(self) -> None:
        key = self.selected()
        if key is None:
            self.notify("no conflict selected", severity="warning")
            return
        profile_id = self.profile_id
        self.app.run_action_in_thread(  # type: ignore[attr-defined]
            lambda s: s.conflict_candidates(profile_id, int(key)), then_with=self._choose
        )

    def _choose(self, found: Candidates) -> None:
        from tui.screens.ask import Choose

        if len(found.contact_ids) < 2:
            now = ", ".join(map(str, found.contact_ids)) or "none"
            self.notify(
                f"customer {found.customer_id} is no conflict now (matching: {now}); the "
                "next export settles it",
                severity="warning",
            )
            return
        choices = [(str(c), f"contact {c}") for c in found.contact_ids]

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self._confirm(found, int(choice))

        self.app.push_screen(
            Choose(f"Customer {found.customer_id}: which contact is theirs?", choices), chosen
        )

    def _confirm(self, found: Candidates, contact_id: int) -> None:
        from tui.screens.confirm import Confirm

        others = ", ".join(str(c) for c in found.contact_ids if c != contact_id)
        question = (
            f"Link customer {found.customer_id} to contact {contact_id}? Our identity is "
            f"written on it and the next export sends every field we own there; the other "
            f"matching contact(s) {others} are left as they are."
        )
        profile_id = self.profile_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.resolve_conflict(profile_id, found.customer_id, contact_id),
                    then_with=lambda message: self.notify(message, markup=False),
                    then=self.poll_now,
                )

        self.app.push_screen(Confirm(question), answered)

    def on_data_table_row_selected(self, event: KeyTable.RowSelected) -> None:
        """``enter`` on a row (the table's own key): back, looking that customer up."""
        if event.row_key.value is not None:
            self.dismiss(str(event.row_key.value))

    def action_back(self) -> None:
        self.dismiss(None)

    def copy_id(self) -> str | None:
        return self.selected()
