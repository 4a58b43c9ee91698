"""Confirmations: yes/no with the count shown, or typing a word for destructive actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class Confirm(ModalScreen[bool]):
    """Asks one question; ``y`` confirms, ``n``/``esc`` refuses; ``typed`` must be typed."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 70; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    Confirm Label { width: 100%; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, typed: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.typed = typed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="question")
            if self.typed:
                yield Label(f"Type {self.typed!r} and press enter to go on; esc refuses.")
                yield Input(id="typed", placeholder=self.typed)
            else:
                yield Label("y yes · n no")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() == self.typed)

    def action_answer(self, yes: bool) -> None:
        if self.typed and yes:
            return  # typed confirmations take the word, not a key
        self.dismiss(yes)
