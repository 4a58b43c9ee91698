"""The shared PlentyONE login token in Redis: one session for every worker on every host.

The token is stored sealed (encrypted by ``core.secrets``) exactly as the client hands it
over; Redis never sees it in clear. The login lease is redis-py's ``Lock`` with the owner as
its token, so only one worker logs in when the token runs out, and only the holder extends or
releases it.
"""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Any

import redis
from redis.exceptions import LockError
from redis.lock import Lock

from core.plenty import StoredToken
from worker.redis_outages import redis_outage

# Delete KEYS[1] only if it still holds ARGV[1] (JSON field "sealed" compared by the caller's
# serialisation would be brittle, so the script decodes it).
_DISCARD = """
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw)['sealed'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisTokenStore:
    """Tokens and login leases in Redis, per PlentyONE user.

    A Redis that cannot be reached raises ``InfrastructureError``: the call waits for it.
    """

    def __init__(self, client: redis.Redis, prefix: str = "plentysync:") -> None:
        self._client = client
        self._token = f"{prefix}token:"
        self._lease = f"{prefix}login-lease:"
        self._discard: Any = client.register_script(_DISCARD)

    def load(self, user: str) -> StoredToken | None:
        with redis_outage("reading the PlentyONE token"):
            raw = self._client.get(self._token + user)
        return StoredToken.from_json(raw.decode()) if raw else None  # type: ignore[union-attr]

    def save(self, user: str, token: StoredToken) -> None:
        # Redis forgets the token when PlentyONE would have, so nobody tries an expired one.
        ttl_ms = max(1000, int((token.expires_at - time.time()) * 1000))
        with redis_outage("storing the PlentyONE token"):
            self._client.set(self._token + user, token.to_json(), px=ttl_ms)

    def discard(self, user: str, sealed: str) -> None:
        with redis_outage("discarding the PlentyONE token"):
            self._discard(keys=[self._token + user], args=[sealed])

    def _lease_lock(self, user: str, owner: str, ttl: float = 1.0) -> Lock:
        lock = self._client.lock(
            self._lease + user, timeout=max(0.001, ttl), blocking=False, thread_local=False
        )
        # The owner is the lock's token: any store object can extend or release its lease.
        lock.local.token = owner.encode()
        return lock

    def try_lease(self, user: str, owner: str, now: float, ttl: float) -> bool:
        # Redis keeps the lease's time itself; ``now`` matters only to stores without a clock.
        del now
        lock = self._lease_lock(user, owner, ttl)
        with redis_outage("taking the PlentyONE login lease"):
            if lock.acquire(token=owner):
                return True
            try:
                return bool(lock.extend(max(0.001, ttl), replace_ttl=True))
            except LockError:  # held by another owner
                return False

    def release_lease(self, user: str, owner: str) -> None:
        with redis_outage("releasing the PlentyONE login lease"), suppress(LockError):
            self._lease_lock(user, owner).release()
