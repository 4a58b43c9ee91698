"""How long to wait before asking a remote API again: its ``Retry-After``, or our backoff."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

__all__ = ["equal_jitter", "retry_after"]


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds named by a ``Retry-After`` header (seconds or an HTTP date), or ``None``."""
    raw = (headers.get("Retry-After") or "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def equal_jitter(
    attempt: int, base: float, ceiling: float, rng: random.Random | None = None
) -> float:
    """Seconds before try ``attempt + 1``: exponential from ``base``, capped at ``ceiling``.

    Half of the delay is fixed and half random, so clients that failed together spread out
    without any of them trying again almost at once.
    """
    delay = min(ceiling, base * 2 ** (attempt - 1))
    return delay / 2 + (rng or random).uniform(0, delay / 2)
