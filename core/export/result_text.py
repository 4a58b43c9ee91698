"""How long one customer took, kept at the end of its result's text.

A result (``RunItem``) keeps one text: the reason it was skipped or failed, or the warnings
of a write. Results have no column for timing, so the time the customer took rides at the end
of that text as `` [0.42 s]``; only this module writes or reads that ending. The same result
is logged as one line per customer under ``RESULTS_LOGGER``.
"""

from __future__ import annotations

import re

# The logger of one line per customer (``customer export -v``; see core.operations.logfile).
RESULTS_LOGGER = "plentysync.results"

_DURATION = re.compile(r"(?:^| )\[(\d+\.\d\d) s\]\Z")


def with_duration(reason: str, seconds: float) -> str:
    """The kept text of a result: its reason, then how long the customer took."""
    took = f"[{max(seconds, 0.0):.2f} s]"
    return f"{reason} {took}" if reason else took


def split_duration(text: str) -> tuple[str, float | None]:
    """The reason and the seconds of a kept text; None for results kept without a time."""
    found = _DURATION.search(text)
    if found is None:
        return text, None
    return text[: found.start()], float(found.group(1))
