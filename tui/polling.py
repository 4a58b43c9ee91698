"""The one-poll-in-flight pattern: fetch in a thread, show the result, only then re-arm.

A slow database never stacks polls up: the next timer starts when the previous answer has
been shown. Polls pause while another screen (a modal) is on top or updates are paused.
Errors back off (1 s, 2 s, 4 s ... 30 s) and are shown as one header line.
"""

from __future__ import annotations

import time
from typing import Any, Generic, TypeVar

from textual import work

T = TypeVar("T")
MAX_BACKOFF = 30.0


class LivePoll(Generic[T]):
    """Mixed into a screen: ``fetch`` runs in a thread, ``show`` on the event loop."""

    interval: float = 1.0
    _backoff: float = 0.0
    _polling: bool = False
    last_shown: float = 0.0

    def fetch(self) -> T:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def show(self, data: T) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def start_polling(self) -> None:
        self.poll_now()

    def data_age(self) -> float | None:
        """Seconds since the shown data was read, while a poll is still out; else None."""
        if not self._polling or not self.last_shown:
            return None
        return time.monotonic() - self.last_shown

    def poll_now(self) -> None:
        if self._polling:
            return
        self._polling = True
        self._poll()

    @work(thread=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        screen: Any = self
        try:
            data = self.fetch()
        except Exception as exc:
            screen.app.call_from_thread(self._failed, exc)
            return
        screen.app.call_from_thread(self._succeeded, data)

    def _succeeded(self, data: T) -> None:
        screen: Any = self
        self._polling = False
        self._backoff = 0.0
        self.last_shown = time.monotonic()
        screen.app.report_database(None)
        self.show(data)
        self._rearm(self.interval)

    def _failed(self, exc: Exception) -> None:
        screen: Any = self
        self._polling = False
        self._backoff = min(MAX_BACKOFF, max(1.0, self._backoff * 2))
        screen.app.report_database(exc, retry_in=self._backoff)
        self._rearm(self._backoff)

    def _rearm(self, delay: float) -> None:
        screen: Any = self
        screen.set_timer(delay, self._tick)

    def _tick(self) -> None:
        screen: Any = self
        if screen.is_current and not screen.app.paused:
            self.poll_now()
        else:
            self._rearm(self.interval)
