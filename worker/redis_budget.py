"""The PlentyONE rate-limit budget in Redis, shared by every thread, process and host.

One Lua script takes the slots of all budgets of a call at once (the GCRA step of
``core.plenty.plan_reservation``), so no two workers anywhere can both get the same slot.
Each budget is a hash with ``next_slot`` and ``blocked_until`` (seconds since the epoch); a
hash expires once it no longer says anything about the future.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from core.plenty import BudgetState, Reservation, SlotRequest
from worker.redis_outages import redis_outage

# KEYS: the budgets. ARGV: now, max_wait, then interval and tolerance per key.
_RESERVE = """
local now = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local start = now
local slots = {}
for i, key in ipairs(KEYS) do
  local next_slot = tonumber(redis.call('HGET', key, 'next_slot') or '0')
  local blocked = tonumber(redis.call('HGET', key, 'blocked_until') or '0')
  local interval = tonumber(ARGV[1 + 2 * i])
  local tolerance = tonumber(ARGV[2 + 2 * i])
  slots[i] = {next_slot, interval, blocked}
  start = math.max(start, math.max(next_slot, now) - tolerance, blocked)
end
local wait = start - now
if wait > max_wait then
  return {0, tostring(wait)}
end
for i, key in ipairs(KEYS) do
  if slots[i][2] > 0 then
    local next_slot = math.max(slots[i][1], now, start) + slots[i][2]
    redis.call('HSET', key, 'next_slot', tostring(next_slot))
    local keep = math.max(next_slot, slots[i][3]) - now + 60
    redis.call('PEXPIRE', key, math.ceil(keep * 1000))
  end
end
return {1, tostring(wait)}
"""

# KEYS[1]: the budget. ARGV: until, now.
_BLOCK = """
local blocked_to = tonumber(ARGV[1])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0')
if blocked_to > blocked then
  redis.call('HSET', KEYS[1], 'blocked_until', tostring(blocked_to))
  local next_slot = tonumber(redis.call('HGET', KEYS[1], 'next_slot') or '0')
  local keep = math.max(blocked_to, next_slot) - tonumber(ARGV[2]) + 60
  if keep > 0 then
    redis.call('PEXPIRE', KEYS[1], math.ceil(keep * 1000))
  end
end
return 1
"""


class RedisBudgetBackend:
    """Budget state in Redis: one budget for every worker of one PlentyONE user and system.

    A Redis that cannot be reached raises ``InfrastructureError``: the batch waits for it.
    """

    def __init__(self, client: redis.Redis, prefix: str = "plentysync:") -> None:
        self._client = client
        self._prefix = f"{prefix}budget:"
        self._reserve: Any = client.register_script(_RESERVE)
        self._block: Any = client.register_script(_BLOCK)

    def reserve(self, requests: list[SlotRequest], now: float, max_wait: float) -> Reservation:
        args: list[float] = [now, max_wait]
        for request in requests:
            args += [request.interval, request.tolerance]
        keys = [self._prefix + request.key for request in requests]
        with redis_outage("taking PlentyONE budget"):
            granted, wait = self._reserve(keys=keys, args=[repr(a) for a in args])
        return Reservation(granted=bool(int(granted)), wait=float(wait))

    def block(self, key: str, until: float) -> None:
        with redis_outage("blocking PlentyONE budget"):
            self._block(keys=[self._prefix + key], args=[repr(until), repr(time.time())])

    def state(self, key: str) -> BudgetState:
        with redis_outage("reading PlentyONE budget"):
            raw = self._client.hgetall(self._prefix + key)
        values = {k.decode(): float(v) for k, v in raw.items()}  # type: ignore[union-attr]
        return BudgetState(values.get("next_slot", 0.0), values.get("blocked_until", 0.0))
