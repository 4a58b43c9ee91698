"""A modal that shows lines of text: help, the explainer, the log."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class TextView(ModalScreen[None]):
    """Lines under a title; ``esc`` or ``q`` closes."""

    DEFAULT_CSS = """
    TextView { align: center middle; }
    TextView > VerticalScroll { width: 90%; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="text.close")]

    def __init__(self, title: str, lines: Iterable[str], *, view_id: str = "text-view") -> None:
        super().__init__(id=view_id)
        self.title_text = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = self.title_text
            yield Static("\n".join(self.lines) or "(nothing)", markup=False, id="text-body")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
