"""The PlentyONE client form: address, user, a masked password, budgets, share, blackouts.

The password input starts empty whatever is stored: nothing of the secret reaches the screen,
and an empty field on save keeps the stored password. A plan gives the budgets; "explicit
budgets" clears the plan, and then reads and writes per minute are needed. A budget typed
next to a plan overrides the plan's figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select

from tui.screens.form import FormScreen, slug
from tui.services_connections import (
    BUDGETS,
    PLAN_CHOICES,
    ClientForm,
    ClientSettingsView,
    ClientView,
)

BUDGET_LABELS = {
    "read_per_minute": "Reads per minute",
    "write_per_minute": "Writes per minute",
    "read_per_day": "Reads per day",
    "write_per_day": "Writes per day",
}


class ClientFormScreen(FormScreen):
    """New client (``client`` None) or an existing one with its stored settings."""

    def __init__(
        self, client: ClientView | None = None, settings: ClientSettingsView | None = None
    ) -> None:
        super().__init__(form_id="client-form")
        self.client, self.settings = client, settings
        self.form_title = f"Client {client.name}" if client else "New PlentyONE client"

    def fields(self) -> Iterator[Widget]:
        client, settings = self.client, self.settings
        yield from self.field("name", "Name", Input(client.name if client else ""))
        yield from self.field(
            "base_url",
            "PlentyONE URL",
            Input(
                client.base_url if client else "",
                placeholder="https://shop.plentymarkets-cloud01.com",
            ),
        )
        yield from self.field("username", "User", Input(client.username if client else ""))
        stored = client is not None and client.password_set
        yield from self.field(
            "password",
            "Password",
            Input(
                password=True,
                placeholder="(set: unchanged unless retyped)" if stored else "(not set)",
            ),
        )
        plan = settings.plan if settings else "basic"
        yield from self.field(
            "plan", "Plan", Select(PLAN_CHOICES, value=plan or "", allow_blank=False)
        )
        for name in BUDGETS:
            value = getattr(settings, name) if settings else None
            yield from self.field(
                name,
                BUDGET_LABELS[name],
                Input(
                    "" if value is None else str(value), placeholder="the plan's", type="integer"
                ),
            )
        share = settings.budget_share if settings else 0.6
        yield from self.field(
            "budget_share",
            "Share of the budget plentysync may use",
            Input(f"{share:g}"),
            "above 0, at most 1; the rest is left to the ERP and other apps",
        )
        identity = settings.identity_field if settings else "externalId"
        yield from self.field(
            "identity_field",
            "Identity field",
            Select(
                [("externalId", "externalId"), ("number", "number")],
                value=identity,
                allow_blank=False,
            ),
            "the contact field that carries our identity",
        )
        windows = " ".join(settings.blackout_windows) if settings else ""
        yield from self.field(
            "blackout_windows",
            "Blackout windows",
            Input(windows, placeholder="01:00-03:00@Europe/Berlin 22:00-23:00/sat,sun@UTC"),
            "space-separated HH:MM-HH:MM[/days][@zone]; no run sends calls inside one",
        )

    def text(self, path: str) -> str:
        return self.query_one(f"#f-{slug(path)}", Input).value

    def choice(self, path: str) -> str:
        value = self.query_one(f"#f-{slug(path)}", Select).value
        return "" if value is Select.BLANK else str(value)

    def save_call(self) -> Any:
        form = ClientForm(
            name=self.text("name"),
            base_url=self.text("base_url"),
            username=self.text("username"),
            password=self.text("password"),
            plan=self.choice("plan"),
            budgets={name: self.text(name) for name in BUDGETS},
            budget_share=self.text("budget_share"),
            identity_field=self.choice("identity_field"),
            blackout_windows=self.text("blackout_windows"),
        )
        client_id = self.client.id if self.client else None
        return lambda services: services.save_client(form, client_id)
