"""Who may fire schedules: one leader at a time, through a Redis lock that the leader renews.

Every scheduler process tries to take or renew the lock on each tick. The holder renews it
well before it expires; when the holder dies, its lock runs out after ``ttl`` seconds and a
standby takes over. Firings are unique in the database as well, so even two schedulers that
both believe they lead never fire one due time twice.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

import redis

# Take the lock when free, renew it when ours: KEYS[1] lock, ARGV owner and ttl in ms.
_TAKE_OR_RENEW = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Leadership(Protocol):
    """Whether this process may fire schedules now."""

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class RedisLeadership:
    """The leader lock in Redis, shared by every scheduler on every host."""

    def __init__(self, client: redis.Redis, key: str, owner: str, ttl: float) -> None:
        self._client = client
        self.key = key
        self.owner = owner
        self.ttl_ms = max(1000, int(ttl * 1000))
        self._take: Any = client.register_script(_TAKE_OR_RENEW)
        self._release: Any = client.register_script(_RELEASE)

    def acquire(self) -> bool:
        """Take or renew the lock; false while another scheduler holds it."""
        try:
            return bool(self._take(keys=[self.key], args=[self.owner, self.ttl_ms]))
        except redis.RedisError:
            # Without Redis nobody can be sure to lead: stand by until it answers again.
            return False

    def release(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self._release(keys=[self.key], args=[self.owner])


class SoleLeadership:
    """Single host: ``plentysync serve`` holds a file lock, so its scheduler always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None
