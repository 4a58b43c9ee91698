"""Who may fire schedules: one leader at a time, through a Redis lock that the leader renews.

Every scheduler process tries to take or renew the lock on each tick. The holder renews it
well before it expires; when the holder dies, its lock runs out after ``ttl`` seconds and a
standby takes over. Firings are unique in the database as well, so even two schedulers that
both believe they lead never fire one due time twice. The lock is redis-py's ``Lock``, its
token the scheduler's name, so ``GET`` on the key says who leads.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

import redis
from redis.exceptions import LockError


class Leadership(Protocol):
    """Whether this process may fire schedules now."""

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class RedisLeadership:
    """The leader lock in Redis, shared by every scheduler on every host."""

    def __init__(self, client: redis.Redis, key: str, owner: str, ttl: float) -> None:
        self.key = key
        self.owner = owner
        self.ttl = max(1.0, ttl)
        # Not thread-local: the scheduler's thread takes the lock, its ``finally`` releases it.
        self._lock = client.lock(key, timeout=self.ttl, blocking=False, thread_local=False)

    def acquire(self) -> bool:
        """Take or renew the lock; false while another scheduler holds it."""
        try:
            if self._lock.owned():
                return bool(self._lock.extend(self.ttl, replace_ttl=True))
            return bool(self._lock.acquire(token=self.owner))
        except LockError:
            # Lost between the two calls (it expired and a standby took it): stand by.
            return False
        except redis.RedisError:
            # Without Redis nobody can be sure to lead: stand by until it answers again.
            return False

    def release(self) -> None:
        with contextlib.suppress(LockError, redis.RedisError):
            self._lock.release()


class SoleLeadership:
    """Single host: ``plentysync serve`` holds a file lock, so its scheduler always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None
