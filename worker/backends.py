"""The Redis connection and the Redis backends that share PlentyONE's token and budget.

Without Redis the exports share both through the database (``core.export.Backends()``);
``worker.deployment`` decides which a process uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import redis

from core.export.connections import Backends
from core.plenty import ExchangeHook
from worker.redis_budget import RedisBudgetBackend
from worker.redis_tokens import RedisTokenStore


@lru_cache(maxsize=4)
def redis_client(url: str) -> redis.Redis:
    """One connection pool per Redis URL and process, shared by its threads."""
    return redis.Redis.from_url(url, health_check_interval=30)


def redis_backends(client: redis.Redis, namespace: str, hooks: Sequence[ExchangeHook]) -> Backends:
    """Token and budget in Redis under ``<namespace>:``, shared by every host."""
    prefix = f"{namespace}:"
    return Backends(
        tokens=RedisTokenStore(client, prefix),
        budget=RedisBudgetBackend(client, prefix),
        hooks=tuple(hooks),
    )
