"""A Redis that cannot be reached is an outage of ours, to be waited out, not a failed batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis

from core.errors import InfrastructureError

# Seconds before work that met an unreachable Redis is tried again (a restart takes a few).
RETRY_AFTER = 5.0


@contextmanager
def redis_outage(what: str) -> Iterator[None]:
    """Raise ``InfrastructureError`` for a lost or timed-out Redis connection while ``what``."""
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise InfrastructureError(
            f"Redis is out of reach while {what} ({type(exc).__name__}: {exc})",
            service="redis",
            retry_after=RETRY_AFTER,
        ) from exc
