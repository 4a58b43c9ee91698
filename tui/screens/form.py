"""What the connection forms share: labelled fields with an error line under each, a banner,
saving in a thread with the core's field errors put back under their fields.

A form is a modal over the connections screen; ``ctrl+s`` saves, ``esc`` closes without
saving. Saving is one façade call: it writes everything or, refused, nothing, and the form
stays open with each message under its field, the banner saying nothing was saved and the
focus on the first problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.services import PlentysyncError
from tui.services_connections import FieldErrors

log = logging.getLogger(__name__)


def slug(path: str) -> str:
    """A widget id for a field path (``secrets.token`` -> ``secrets-token``)."""
    return path.replace(".", "-").replace("_", "-")


class FormScreen(ModalScreen[str | None]):
    """A form over the screen below; dismissed with the saved thing's name, or None."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical { width: 78; max-width: 100%; height: 100%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    FormScreen VerticalScroll { height: 1fr; }
    FormScreen .field { height: auto; }
    FormScreen .field-label { color: $text-muted; }
    FormScreen .field-help { color: $text-muted; }
    FormScreen .field-error { color: $error; height: auto; }
    FormScreen #form-banner { color: $error; height: auto; }
    FormScreen #form-keys { color: $text-muted; }
    FormScreen Input, FormScreen Select { width: 100%; }
    """
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "close", "Close", id="form.close"),
    ]
    form_title = "Form"
    AUTO_FOCUS = ".field Input, .field Select"  # not the scroll box: typing goes to a field

    def __init__(self, *, form_id: str) -> None:
        super().__init__(id=form_id)
        self.saving = False
        self.paths: list[str] = []

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.form_title
            banner = Static("", id="form-banner", markup=False)
            banner.display = False
            yield banner
            with VerticalScroll():
                yield from self.fields()
            yield Label("ctrl+s saves · esc closes without saving", id="form-keys")

    def fields(self) -> Iterator[Widget]:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def field(self, path: str, label: str, widget: Widget, help_text: str = "") -> Iterator[Widget]:
        """The field in a box (id ``w-<path>``): label, input (``f-<path>``), help, error line
        (``e-<path>``)."""
        self.paths.append(path)
        widget.id = f"f-{slug(path)}"
        parts: list[Widget] = [Label(label, classes="field-label"), widget]
        if help_text:
            parts.append(Static(help_text, classes="field-help", markup=False))
        error = Static("", id=f"e-{slug(path)}", classes="field-error", markup=False)
        error.display = False
        parts.append(error)
        yield Vertical(*parts, id=f"w-{slug(path)}", classes="field")

    def error_line(self, path: str) -> Static:
        return self.query_one(f"#e-{slug(path)}", Static)

    def set_error(self, path: str, text: str) -> None:
        """Show ``text`` under the field (an empty one takes no line)."""
        line = self.error_line(path)
        line.update(text)
        line.display = bool(text)

    def set_banner(self, text: str) -> None:
        banner = self.query_one("#form-banner", Static)
        banner.update(text)
        banner.display = bool(text)

    # -- saving ----------------------------------------------------------------------------

    def save_call(self) -> Any:  # pragma: no cover - every form overrides it
        """A callable taking the façade and saving the form, built on the event loop."""
        raise NotImplementedError

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            call = self.save_call()
        except PlentysyncError as exc:
            self.show_problems(exc)
            return
        self.saving = True
        self.set_banner("saving…")
        self.run_worker(lambda: self._save(call), thread=True, group="save", exit_on_error=False)

    def _save(self, call: Any) -> None:
        app: Any = self.app
        try:
            saved = call(app.services)
        except PlentysyncError as exc:
            app.call_from_thread(self.show_problems, exc)
            return
        except Exception as exc:  # a bug: logged with its traceback, the form stays open
            log.exception("saving a form failed")
            app.call_from_thread(
                self.show_problems, PlentysyncError(f"unexpected error, see the log (l): {exc}")
            )
            return
        app.call_from_thread(self._saved, saved)

    def _saved(self, saved: Any) -> None:
        self.saving = False
        name = str(getattr(saved, "name", ""))
        self.app.notify(f"saved {name}", markup=False)
        self.dismiss(name)

    def show_problems(self, exc: PlentysyncError) -> None:
        """Each field's message under it; anything else in the banner; focus the first."""
        self.saving = False
        for path in self.paths:
            self.set_error(path, "")
        errors = exc.errors if isinstance(exc, FieldErrors) else ()
        if not errors:
            self.set_banner(f"✖ nothing saved: {exc}")
            return
        placed: dict[str, list[str]] = {}
        others: list[str] = []
        for error in errors:
            owner = self.owner_of(error.path)
            if owner is not None:
                placed.setdefault(owner, []).append(
                    f"✖ {error}" if owner != error.path else f"✖ {error.message}"
                )
            else:
                others.append(str(error))
        for path, lines in placed.items():
            self.set_error(path, "\n".join(lines))
        count = len(errors)
        banner = f"✖ {count} problem{'s' if count != 1 else ''}: nothing saved"
        if others:
            banner += " · " + "; ".join(others)
        self.set_banner(banner)
        first = next((p for p in self.paths if p in placed), None)
        if first is not None:
            target = self.query_one(f"#f-{slug(first)}")
            if target.focusable and not target.disabled:
                target.focus()
            target.scroll_visible()

    def owner_of(self, path: str) -> str | None:
        """The field a core path belongs to (``blackout_windows[0].start`` to its list)."""
        for known in self.paths:
            if path == known or path.startswith((known + ".", known + "[")):
                return known
        return None

    def action_close(self) -> None:
        self.dismiss(None)
