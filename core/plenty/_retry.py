"""Which failures the client tries again, and how long it waits in between.

Policy, by method (the caller only ever sees the final outcome):

* Every method: a connection that could not be opened (the request never left), HTTP 503
  (PlentyONE did not process it) and HTTP 429 (after the governor's wait) are retried.
* GET additionally: read timeouts, dropped connections, other 5xx and unreadable answers.
* PUT and DELETE additionally: 500, 502 and 504 - sending the same update or delete twice
  leaves the same state. A *timeout* on them still raises ``WriteTimeoutError``: a repeated
  DELETE would answer 404 and a PUT may race a newer one, so the caller re-reads first.
* POST: anything after the request may have reached PlentyONE (timeouts, dropped
  connections, 500/502/504, an unreadable answer) raises ``WriteTimeoutError`` at once and
  is never repeated, because a repeated create makes a duplicate.
"""

from __future__ import annotations

import random

import httpx

from core.backoff import equal_jitter
from core.plenty._config import RetryPolicy

SAFE_STATUSES = frozenset({503})
READ_RETRY_STATUSES = frozenset({500, 502, 503, 504})
IDEMPOTENT_WRITE_RETRY_STATUSES = frozenset({500, 502, 503, 504})


def never_sent(exc: httpx.HTTPError) -> bool:
    """True when the request certainly did not reach PlentyONE."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def retry_status(method: str, status: int) -> bool:
    """Whether an answer with ``status`` to ``method`` may be sent again."""
    method = method.upper()
    if method == "GET":
        return status in READ_RETRY_STATUSES
    if method in ("PUT", "DELETE"):
        return status in IDEMPOTENT_WRITE_RETRY_STATUSES
    return status in SAFE_STATUSES


def backoff(policy: RetryPolicy, attempt: int, rng: random.Random) -> float:
    """Seconds before try ``attempt + 1``: exponential, capped, half fixed and half random."""
    return equal_jitter(attempt, policy.base_delay, policy.max_delay, rng)
