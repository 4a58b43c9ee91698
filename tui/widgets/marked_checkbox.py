"""A checkbox whose state shows as a mark, not only as a colour (16 colours, NO_COLOR)."""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    """``▐✓▌`` when on, ``▐ ▌`` when off."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "
        super().watch_value()
