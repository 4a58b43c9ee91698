"""The Magento source form: address, auth kind with its masked secrets, namespace once only.

Only the secrets the chosen auth kind needs are shown, each in a masked input that starts
empty: an empty one keeps what is stored (a new auth kind needs every one of its secrets).
The namespace prefixes every identity written to PlentyONE, so it is read-only once set.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select, Static

from tui.screens.form import FormScreen, slug
from tui.services_connections import SourceForm, SourceView

AUTH_LABELS = {
    "bearer": "integration token (bearer)",
    "oauth1": "OAuth 1.0a (integration keys)",
    "admin": "admin user and password",
}
SECRET_LABELS = {
    "token": "Integration token",
    "consumer_key": "Consumer key",
    "consumer_secret": "Consumer secret",
    "access_token": "Access token",
    "access_token_secret": "Access token secret",
    "password": "Admin password",
}


class SourceFormScreen(FormScreen):
    """New source (``source`` None) or an existing one; ``modes`` maps auth kind to secrets."""

    def __init__(
        self, modes: Mapping[str, tuple[str, ...]], source: SourceView | None = None
    ) -> None:
        super().__init__(form_id="source-form")
        self.modes, self.source = dict(modes), source
        self.form_title = f"Source {source.name}" if source else "New Magento source"
        self.secret_keys = list(dict.fromkeys(k for keys in self.modes.values() for k in keys))

    def fields(self) -> Iterator[Widget]:
        source = self.source
        yield from self.field("name", "Name", Input(source.name if source else ""))
        yield from self.field(
            "namespace",
            "Namespace",
            Input(
                source.namespace if source else "",
                placeholder="e.g. shop-eu",
                disabled=source is not None,
            ),
            "read-only once set: contacts in PlentyONE carry it"
            if source
            else "2-40 lowercase letters, digits, dashes; prefixes every identity; fixed for life",
        )
        yield from self.field(
            "base_url",
            "Magento base URL",
            Input(source.base_url if source else "", placeholder="https://shop.example.com"),
        )
        mode = source.auth_mode if source else "bearer"
        yield from self.field(
            "auth_mode",
            "Auth kind",
            Select([(AUTH_LABELS.get(m, m), m) for m in self.modes], value=mode, allow_blank=False),
        )
        yield from self.field(
            "username", "Admin user (admin auth only)", Input(source.username if source else "")
        )
        for key in self.secret_keys:
            stored = source is not None and key in source.secrets_set
            yield from self.field(
                f"secrets.{key}",
                SECRET_LABELS.get(key, key),
                Input(
                    password=True,
                    placeholder="(set: unchanged unless retyped)" if stored else "(not set)",
                ),
            )
        yield Static("", id="secrets-note", classes="field-help", markup=False)

    def on_mount(self) -> None:
        self.show_secrets(self.mode())

    def mode(self) -> str:
        value = self.query_one("#f-auth-mode", Select).value
        return "" if value is Select.BLANK else str(value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-auth-mode":
            self.show_secrets(self.mode())

    def show_secrets(self, mode: str) -> None:
        """Show the inputs of the secrets ``mode`` needs, hide the others."""
        needed = self.modes.get(mode, ())
        for key in self.secret_keys:
            self.query_one(f"#w-{slug(f'secrets.{key}')}").display = key in needed
        self.query_one("#w-username").display = mode == "admin"
        changed = self.source is not None and mode != self.source.auth_mode
        self.query_one("#secrets-note", Static).update(
            "a new auth kind needs all of its secrets typed" if changed else ""
        )

    def value(self, path: str) -> str:
        return self.query_one(f"#f-{slug(path)}", Input).value

    def save_call(self) -> Any:
        mode = self.mode()
        form = SourceForm(
            name=self.value("name"),
            namespace=self.value("namespace"),
            base_url=self.value("base_url"),
            auth_mode=mode,
            username=self.value("username") if mode == "admin" else "",
            secrets={k: self.value(f"secrets.{k}") for k in self.modes.get(mode, ())},
        )
        source_id = self.source.id if self.source else None
        return lambda services: services.save_source(form, source_id)
