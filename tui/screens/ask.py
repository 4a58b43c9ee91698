"""Small modals the screens share: type a value (checked as you type), or pick one of a list."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.services import PlentysyncError


class AskText(ModalScreen[str | None]):
    """One line of input; ``check`` raises a ``PlentysyncError`` to refuse it (shown below)."""

    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText > Vertical { width: 70; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1; }
    AskText #ask-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="ask.close")]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        check: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(id="ask-text")
        self.title_text, self.prompt, self.value, self.check = title, prompt, value, check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Label(self.prompt)
            yield Input(value=self.value, id="ask-input")
            yield Static("", id="ask-error", markup=False)
            yield Label("enter accepts · esc closes")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            if self.check is not None:
                self.check(text)
        except PlentysyncError as exc:
            self.query_one("#ask-error", Static).update(f"✖ {exc}")
            return
        self.dismiss(text)

    def action_close(self) -> None:
        self.dismiss(None)


class Choose(ModalScreen[str | None]):
    """Pick one of ``choices`` (id, text); ``enter`` picks, ``esc`` closes."""

    DEFAULT_CSS = """
    Choose { align: center middle; }
    Choose > Vertical { width: 70; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1; }
    Choose OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="choose.close")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__(id="choose")
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield OptionList(*(Option(text, id=key) for key, text in self.choices))
            yield Label("enter picks · esc closes")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
