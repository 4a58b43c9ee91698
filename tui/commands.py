"""The command palette: jump to a profile, a run or a screen, or run any action by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class PlentysyncCommands(Provider):
    """Profiles, recent runs, screens and every action of the active screen and the app."""

    async def startup(self) -> None:
        app: Any = self.app
        worker = app.run_worker(app.services_palette_entries, thread=True)
        self.entries: list[tuple[str, str, Callable[[], Any]]] = await worker.wait()

    def _all(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        return [*self.entries, *app.action_entries(self.screen)]

    async def discover(self) -> Hits:
        for text, help_text, command in self._all():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._all():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(command), help=help_text)
