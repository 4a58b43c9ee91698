"""Log records kept in memory for the TUI's log screen, never written to the terminal.

Under the TUI nothing may write over the screen: the app removes the terminal handlers from
the root logger and adds this one beside the log file.
"""

from __future__ import annotations

import logging
import sys
from collections import deque

KEPT = 500


class MemoryLog(logging.Handler):
    """The latest ``KEPT`` formatted records, for the log screen."""

    def __init__(self, kept: int = KEPT) -> None:
        super().__init__(level=logging.INFO)
        self.lines: deque[str] = deque(maxlen=kept)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a broken record must not break the screen
            self.handleError(record)


def keep_off_terminal(memory: MemoryLog) -> None:
    """Take every handler that writes to the terminal off the root logger; add ``memory``.

    ``memory`` takes over the filters the process put on its handlers (the masking of
    personal data above all), so the log screen shows what the log file shows.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        for kept in handler.filters:
            if handler is not memory and not any(type(f) is type(kept) for f in memory.filters):
                memory.addFilter(kept)
        stream = getattr(handler, "stream", None)
        if isinstance(handler, logging.StreamHandler) and stream in (
            sys.stderr,
            sys.stdout,
            sys.__stderr__,
            sys.__stdout__,
        ):
            root.removeHandler(handler)
    if memory not in root.handlers:
        root.addHandler(memory)
    # Python's last-resort handler writes to stderr when no handler is left.
    logging.lastResort = None
