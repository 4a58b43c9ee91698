"""The shared PlentyONE login token in Redis: one session for every worker on every host.

The token is stored sealed (encrypted by ``core.secrets``) exactly as the client hands it
over; Redis never sees it in clear. The login lease is a plain ``SET NX PX`` with its owner,
so only one worker logs in when the token runs out.
"""

from __future__ import annotations

import time
from typing import Any

import redis

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

# Take or extend the lease KEYS[1] for owner ARGV[1] for ARGV[2] milliseconds.
_LEASE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
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
        self._take: Any = client.register_script(_LEASE)
        self._release: Any = client.register_script(_RELEASE)

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

    def try_lease(self, user: str, owner: str, now: float, ttl: float) -> bool:
        # Redis keeps the lease's time itself; ``now`` matters only to stores without a clock.
        del now
        with redis_outage("taking the PlentyONE login lease"):
            taken = self._take(keys=[self._lease + user], args=[owner, max(1, int(ttl * 1000))])
        return bool(taken)

    def release_lease(self, user: str, owner: str) -> None:
        with redis_outage("releasing the PlentyONE login lease"):
            self._release(keys=[self._lease + user], args=[owner])
