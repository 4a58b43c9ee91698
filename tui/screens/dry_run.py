"""The dry-run diff viewer: each customer with what an export would do, and its plan.

Left, the customers with their action (``create``, ``update 3 fields``, ``unchanged``,
``conflict``, ``skipped: reason``); right, the plan of the selected one: fields, addresses,
account, how the contact was found and, for a live dry run, ``field | PlentyONE now | we
would send``. Real values: this is the operator's screen (masking is for logs).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.services import CustomerPlan, DryRunPlan
from tui.widgets.key_table import KeyTable

COLUMNS = [("customer", "Customer"), ("action", "Would")]
MARKS = {"create": "+", "update": "~", "unchanged": "=", "conflict": "!", "skipped": "-"}


def plan_lines(plan: CustomerPlan, live: bool) -> list[str]:
    """The right pane: what we would send to this customer's contact, and why."""
    lines = [f"customer {plan.key}: {plan.label}"]
    if plan.contact_id:
        lines.append(f"contact {plan.contact_id}")
    if plan.found_by:
        lines.append(f"found by {plan.found_by}")
    if plan.reason and not plan.label.endswith(plan.reason):
        lines.append(f"why: {plan.reason}")
    if plan.writes:
        lines.append(f"PlentyONE writes: {plan.writes}")
    if plan.live:
        width = max(len(name) for name, _now, _ours in plan.live)
        lines.append("")
        lines.append(f"{'field':<{width}} | PlentyONE now | we would send")
        lines += [f"{name:<{width}} | {now} | {ours}" for name, now, ours in plan.live]
    elif plan.fields:
        lines.append("")
        lines.append("fields we would send: " + ", ".join(plan.fields))
    if plan.addresses:
        lines.append("addresses: " + "; ".join(plan.addresses))
    if plan.account:
        lines.append(f"account: {plan.account}")
    if not live and plan.action in ("create", "update"):
        lines.append("")
        lines.append(
            "(stored comparison: against what we last sent; a live dry run reads "
            "PlentyONE and shows each field as it is there now)"
        )
    return lines


class DryRunScreen(Screen[None]):
    """One dry run's plan, customer by customer; nothing was sent."""

    CSS_PATH = "dry_run.tcss"
    BINDINGS = [Binding("escape,q", "back", "Back", id="dry_run.back")]

    def __init__(self, plan: DryRunPlan) -> None:
        super().__init__(id="dry-run")
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        kind = "live" if self.plan.live else "stored"
        more = (
            f" · {self.plan.not_looked_at:,} not looked at (limit)"
            if self.plan.not_looked_at
            else ""
        )
        yield Static(
            f"dry run of {self.plan.profile} ({kind}) · {self.plan.headline()}{more}",
            id="dry-head",
            markup=False,
        )
        with Horizontal(id="dry-body"):
            yield KeyTable(COLUMNS, id="dry-customers")
            with VerticalScroll(id="dry-plan-box"):
                yield Static("", id="dry-plan", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.sync(
            {
                c.key: (c.key, f"{MARKS.get(c.action, '·')} {c.label}"[:34])
                for c in self.plan.customers
            }
        )
        table.focus()
        self.show_selected()

    def on_data_table_row_highlighted(self) -> None:
        self.show_selected()

    def selected(self) -> CustomerPlan | None:
        key = self.query_one(KeyTable).current_key
        return next((c for c in self.plan.customers if c.key == key), None)

    def show_selected(self) -> None:
        chosen = self.selected()
        text = (
            "no customer looked at"
            if chosen is None
            else "\n".join(plan_lines(chosen, self.plan.live))
        )
        self.query_one("#dry-plan", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def copy_id(self) -> str | None:
        chosen = self.selected()
        return None if chosen is None else chosen.key
