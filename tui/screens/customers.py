"""Screen 6, one customer of a profile: its link, how it was found, last export, live diff.

Pick the profile, type a Magento customer id or an e-mail (a guest buyer by e-mail) and press
enter. The lookup reads this database and Magento; then the live diff asks PlentyONE, read
only, what the next export would send: ``field: PlentyONE now → we would send``. ``L`` links
the customer to a contact id, ``U`` unlinks it (typed confirmation: it drops our link),
``c`` lists the profile's conflicts to settle. Real values: this is the operator's screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from tui.services import PlentysyncError
from tui.services_customers import CustomerLookup, LiveDiff, OwnedField

log = logging.getLogger(__name__)

ADDRESS_TYPES = {1: "billing", 2: "delivery"}
FOUND_BY = {
    "link": "by our link",
    "index": "by our identity on the contact (run index)",
    "identity": "by our identity on the contact",
    "email": "by e-mail: the export would adopt that contact",
    "guest": "converted guest: the contact of its guest orders",
    "new": "no contact matches: the export would create one",
}
FIELD_STATES = (
    ("sent", "✓ as sent"),
    ("changed", "↻ changed since sent"),
    ("not sent", "· not sent yet"),
    ("not mapped", "✗ no longer mapped"),
)


def _when(moment: Any) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _owned_lines(owned: tuple[OwnedField, ...]) -> list[str]:
    if not owned:
        return ["fields we own: none (the profile does not export it)"]
    lines = ["fields we own (by fingerprint):"]
    for state, label in FIELD_STATES:
        names = [f.name for f in owned if f.state == state]
        if names:
            lines.append(f"  {label}: " + ", ".join(names))
    return lines


def lookup_lines(found: CustomerLookup) -> list[str]:
    """The upper part: the link and its addresses, the last export, the fields we own."""
    who = (
        f"customer {found.customer_id}"
        if found.customer_id is not None
        else f"guest buyer {found.key}"
    )
    lines = [f"{who} · identity {found.identity} · profile {found.profile_name}"]
    link = found.link
    if link is None:
        lines.append("link: none · the next export looks by identity, then by e-mail")
    else:
        account = link.account_id if link.account_id is not None else "none"
        lines.append(
            f"link: {link.state} to contact {link.contact_id or '(not yet)'} · account "
            f"{account} · row updated {_when(link.updated_at)}"
        )
        for a in found.addresses:
            kind = ADDRESS_TYPES.get(a.type_id, f"type {a.type_id}")
            primary = " (primary)" if a.primary else ""
            lines.append(
                f"  {kind}: Magento address {a.key} → PlentyONE address {a.address_id}{primary}"
            )
        if link.addresses_uncertain:
            lines.append("  ⚠ an address write timed out; the next export looks it up")
    if found.found_by:
        lines.append(f"found: {FOUND_BY[found.found_by]} (stored)")
    last = found.last_export
    if last is None:
        lines.append("last export: none for this profile")
    else:
        message = f" · {last.message}" if last.message else ""
        lines.append(f"last export: run {last.run} · {last.action} · {_when(last.at)}{message}")
    if found.not_exported:
        lines.append(f"not exported: {found.not_exported}")
    return lines + _owned_lines(found.owned)


def diff_lines(diff: LiveDiff) -> list[str]:
    """The lower part: what the next export would do, field by field against PlentyONE now."""
    contact = f" · contact {diff.contact_id}" if diff.contact_id else ""
    writes = f" · {diff.writes} write{'s' if diff.writes != 1 else ''}" if diff.writes else ""
    lines = [f"live diff (PlentyONE now): next export {diff.action}{contact}{writes}"]
    if diff.found_by:
        lines.append(f"found: {FOUND_BY.get(diff.found_by, diff.found_by)}")
    if diff.reason:
        lines.append(f"why: {diff.reason}")
    if diff.diffs:
        lines += [f"  {d.name}: {d.theirs} → {d.ours}" for d in diff.diffs]
        lines.append("  (field: PlentyONE now → we would send)")
    elif diff.action in ("update", "unchanged") and diff.contact_id:
        lines.append("  every field we own holds what we would send")
    if diff.fields and not diff.diffs:
        lines.append("would send: " + ", ".join(diff.fields))
    if diff.addresses:
        lines.append("addresses: " + "; ".join(diff.addresses))
    if diff.account:
        lines.append(f"account: {diff.account}")
    return lines


class CustomersScreen(Screen[None]):
    """``enter`` looks up, ``d`` live diff again, ``L`` link, ``U`` unlink, ``c`` conflicts."""

    CSS_PATH = "customers.tcss"
    BINDINGS = [
        Binding("slash", "focus_lookup", "Look up", id="customers.lookup"),
        Binding("d", "live_diff", "Live diff", id="customers.diff"),
        Binding("L", "link", "Link", id="customers.link"),
        Binding("U", "unlink", "Unlink", id="customers.unlink"),
        Binding("c", "conflicts", "Conflicts", id="customers.conflicts"),
    ]

    def __init__(self) -> None:
        super().__init__(id="customers")
        self.profile_id: int | None = None
        self.query_text = ""
        self.lookup: CustomerLookup | None = None
        self.diff: LiveDiff | None = None
        self.profile_names: dict[int, str] = {}
        self._asked = 0  # a newer lookup makes the answers of older ones stale

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        with Horizontal(id="customer-query"):
            yield Select[int]([], prompt="profile", id="customer-profile")
            yield Input(placeholder="Magento customer id or e-mail", id="customer-input")
        with VerticalScroll(id="customer-body"):
            yield Static(
                "Type a Magento customer id or an e-mail (guests by e-mail), then enter.",
                id="customer-lookup",
                markup=False,
            )
            yield Static("", id="customer-diff", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#customer-input", Input).focus()
        self._in_thread(lambda s: s.profiles(), self._listed)

    def _listed(self, profiles: Any) -> None:
        select = self.query_one("#customer-profile", Select)
        select.set_options([(p.name, p.id) for p in profiles])
        self.profile_names = {p.id: p.name for p in profiles}
        if profiles and self.profile_id is None:
            self.profile_id = profiles[0].id
        if self.profile_id is not None:
            select.value = self.profile_id
        else:
            self._say("#customer-lookup", "no profile yet: create one first")

    # -- running façade calls --------------------------------------------------------------

    def _in_thread(
        self,
        call: Callable[[Any], Any],
        shown: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Call the façade in a thread; an error goes to ``failed`` (else a toast)."""
        app: Any = self.app

        def work() -> None:
            try:
                result = call(app.services)
            except PlentysyncError as exc:
                app.call_from_thread(failed or self._toast, f"✖ {exc}")
                return
            except Exception as exc:
                log.exception("the customers screen's call failed")
                app.call_from_thread(
                    failed or self._toast, f"✖ unexpected error, details in the log (l): {exc}"
                )
                return
            app.call_from_thread(shown, result)

        self.run_worker(work, thread=True, group="customers", exit_on_error=False)

    def _toast(self, text: str) -> None:
        self.notify(text, severity="error", markup=False)

    def _say(self, widget: str, text: str) -> None:
        self.query_one(widget, Static).update(text)

    # -- looking up ------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.profile_id:
            self.profile_id = event.value
            if self.query_text:
                self.look_up(self.query_text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "customer-input" and event.value.strip():
            # The screen's keys (d, L, U, c, r) act once the input lets them go; / comes back.
            self.query_one("#customer-body").focus()
            self.look_up(event.value.strip())

    def look_up(self, query: str) -> None:
        """Read the customer ``query`` names, then its live diff against PlentyONE."""
        if self.profile_id is None:
            self.notify("choose a profile first", severity="warning")
            return
        self.query_text, self.lookup, self.diff = query, None, None
        self._asked += 1
        asked, profile_id = self._asked, self.profile_id
        self._say("#customer-lookup", "looking up…")
        self._say("#customer-diff", "")

        def shown(found: CustomerLookup) -> None:
            if asked == self._asked:
                self.show_lookup(found)
                self.action_live_diff()

        def failed(text: str) -> None:
            if asked == self._asked:
                self._say("#customer-lookup", text)

        self._in_thread(lambda s: s.customer_lookup(profile_id, query), shown, failed)

    def show_lookup(self, found: CustomerLookup) -> None:
        self.lookup = found
        self._say("#customer-lookup", "\n".join(lookup_lines(found)))

    def poll_now(self) -> None:
        """``r``: look the customer up again."""
        if self.query_text:
            self.look_up(self.query_text)

    def action_live_diff(self) -> None:
        found = self.lookup
        if found is None:
            return
        asked, query = self._asked, self.query_text
        self._say("#customer-diff", "live diff: reading PlentyONE…")

        def shown(diff: LiveDiff) -> None:
            if asked == self._asked:
                self.diff = diff
                self._say("#customer-diff", "\n".join(diff_lines(diff)))

        def failed(text: str) -> None:
            if asked == self._asked:
                self._say("#customer-diff", f"live diff: {text}")

        self._in_thread(lambda s: s.customer_live_diff(found.profile_id, query), shown, failed)

    def action_focus_lookup(self) -> None:
        self.query_one("#customer-input", Input).focus()

    # -- link, unlink, conflicts -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return app.services.can_act or action not in ("link", "unlink")

    def _registered(self) -> CustomerLookup | None:
        found = self.lookup
        if found is None:
            self.notify("look a customer up first", severity="warning")
            return None
        if found.customer_id is None:
            self.notify(
                "a guest buyer is linked by the export only (by identity or e-mail)",
                severity="warning",
            )
            return None
        return found

    def _done(self, message: str) -> None:
        self.notify(message, markup=False)
        self.poll_now()

    def action_link(self) -> None:
        from tui.screens.ask import AskText
        from tui.screens.confirm import Confirm

        found = self._registered()
        if found is None:
            return
        customer_id = found.customer_id
        assert customer_id is not None

        def confirmed(contact_id: int) -> Callable[[bool | None], None]:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._in_thread(
                        lambda s: s.link_customer(found.profile_id, customer_id, contact_id),
                        self._done,
                    )

            return answered

        def typed(text: str | None) -> None:
            if not text:
                return
            contact_id = int(text)
            current = found.link.contact_id if found.link is not None else None
            replaced = (
                f" Its link to contact {current} is dropped first."
                if current not in (None, contact_id)
                else ""
            )
            question = (
                f"Link customer {customer_id} to PlentyONE contact {contact_id}?{replaced} "
                f"Our identity {found.identity} is written on the contact, and the next "
                "export sends every field we own to it."
            )
            self.app.push_screen(Confirm(question), confirmed(contact_id))

        self.app.push_screen(
            AskText(
                f"Link customer {customer_id}",
                "PlentyONE contact id",
                check=_contact_id,
            ),
            typed,
        )

    def action_unlink(self) -> None:
        from tui.screens.confirm import Confirm

        found = self._registered()
        if found is None:
            return
        customer_id = found.customer_id
        assert customer_id is not None
        if found.link is None:
            self.notify(f"customer {customer_id} has no link to drop", severity="warning")
            return
        contact = found.link.contact_id
        addresses = len(found.addresses)
        question = (
            f"Unlink customer {customer_id} from contact {contact}? Our link and its "
            f"{addresses} address link(s) are dropped and our identity {found.identity} is "
            "taken off the contact; the next export looks for a contact again and creates "
            "one when none matches."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._in_thread(
                    lambda s: s.unlink_customer(found.profile_id, customer_id), self._done
                )
            elif yes is False:
                self.notify("not unlinked", severity="warning")

        self.app.push_screen(Confirm(question, typed=str(customer_id)), answered)

    def action_conflicts(self) -> None:
        from tui.screens.customer_conflicts import ConflictsScreen

        if self.profile_id is None:
            self.notify("choose a profile first", severity="warning")
            return
        name = self.profile_names.get(self.profile_id, str(self.profile_id))

        def chosen(customer_id: str | None) -> None:
            if customer_id:
                self.query_one("#customer-input", Input).value = customer_id
                self.look_up(customer_id)

        self.app.push_screen(ConflictsScreen(self.profile_id, name), chosen)

    def copy_id(self) -> str | None:
        found = self.lookup
        if found is None:
            return None
        if found.link is not None and found.link.contact_id:
            return str(found.link.contact_id)
        return found.key


def _contact_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise PlentysyncError("a PlentyONE contact id is a positive number")
    return int(text)
