"""Where workers share PlentyONE's token and budget: Redis when configured, else the database."""

from __future__ import annotations

from functools import lru_cache

import redis

from core.export.connections import Backends
from core.settings import get_settings
from worker.metrics import exchange_hooks
from worker.redis_budget import RedisBudgetBackend
from worker.redis_tokens import RedisTokenStore
from worker.settings import get_worker_settings


@lru_cache(maxsize=4)
def redis_client(url: str) -> redis.Redis:
    """One connection pool per Redis URL and process, shared by its threads."""
    return redis.Redis.from_url(url, health_check_interval=30)


def shared_backends() -> Backends:
    """Redis backends with ``PLENTYSYNC_REDIS_URL`` (every host shares), else the database.

    An inline export keeps the database budget too, although the memory one would spare a
    write per call: ``serve`` and a CLI export may spend the same client's budget on one host
    at the same time, and neither holds anything that would tell the other it is there.
    """
    url = get_settings().redis_url
    if not url:
        return Backends(hooks=exchange_hooks())
    client = redis_client(url)
    prefix = f"{get_worker_settings().redis_namespace}:"
    return Backends(
        tokens=RedisTokenStore(client, prefix),
        budget=RedisBudgetBackend(client, prefix),
        hooks=exchange_hooks(),
    )
