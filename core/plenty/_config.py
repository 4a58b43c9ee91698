"""How plentysync reaches one PlentyONE system: address, user, budgets, timeouts, retries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

import httpx

from core.errors import ConfigError
from core.secrets import Secret
from core.validation import check_base_url

Plan = Literal["basic", "classic", "flex", "plus"]
IdentityField = Literal["externalId", "number"]


@dataclass(frozen=True)
class Budget:
    """Calls PlentyONE allows per user per minute and per system per day, reads and writes apart."""

    reads_per_minute: int
    writes_per_minute: int
    reads_per_day: int
    writes_per_day: int

    def __post_init__(self) -> None:
        for name in ("reads_per_minute", "writes_per_minute", "reads_per_day", "writes_per_day"):
            if getattr(self, name) < 1:
                raise ConfigError(f"the PlentyONE budget {name} must be at least 1")

    @classmethod
    def for_plan(cls, plan: Plan) -> Budget:
        """The documented limits of a PlentyONE plan."""
        try:
            return PLAN_BUDGETS[plan]
        except KeyError:
            raise ConfigError(
                f"unknown PlentyONE plan {plan!r}: use one of {', '.join(PLAN_BUDGETS)}"
            ) from None

    def per_minute(self, kind: str) -> int:
        return self.reads_per_minute if kind == "read" else self.writes_per_minute

    def per_day(self, kind: str) -> int:
        return self.reads_per_day if kind == "read" else self.writes_per_day


PLAN_BUDGETS: dict[str, Budget] = {
    "basic": Budget(80, 40, 59_760, 17_280),
    "classic": Budget(200, 80, 166_000, 48_000),
    "flex": Budget(240, 100, 282_000, 72_000),
    "plus": Budget(280, 120, 282_000, 72_000),
}


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for each phase of an HTTP exchange."""

    connect: float = 10.0
    read: float = 60.0
    write: float = 30.0
    pool: float = 30.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed call is tried again (exponential backoff, jitter)."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    # 429 answers do not use up attempts, but a server that keeps refusing must end somewhere.
    max_rate_limited: int = 8
    # A rejected token (401) is replaced by a new login as often as PlentyONE rejects it, for
    # this many seconds after the call's first rejection; rejections in a row back off.
    relogin_within: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ConfigError("retry attempts must be at least 1")
        if self.relogin_within < 0:
            raise ConfigError("relogin_within must not be negative")


@dataclass(frozen=True)
class PlentyConfig:
    """Everything the PlentyONE client needs to know, passed to its constructor.

    Defaults, and what they switch:

    * ``budget``: the Basic plan (the smallest); ``PlentyConfig.for_plan("classic", ...)``
      or an explicit ``Budget`` for others.
    * ``share`` 0.6: the part of every budget plentysync may use; the rest is left to the
      other integrations of the system (per-minute pace and the daily budget alike).
    * ``window`` 60 s: the per-user short period; a few seconds against the emulator.
    * ``burst`` None: calls sent back to back before pacing starts; by default 10 % of the
      share, capped by the headroom between share and limit (so never a 429 from it).
    * ``max_wait`` 30 s: the longest the client sleeps for budget; a longer wait raises
      ``RateLimitedError(retry_after=...)`` so a worker re-sends its batch later.
    * ``refresh_before_expiry`` 600 s: renew the token this long before it expires (at the
      latest at half its lifetime); ``login_lease`` 30 s: how long one process may take to
      log in before another may try.
    * ``identity_field`` "externalId": where ``contacts.find_by_identity`` looks for our key
      ("number" is the alternative).
    * ``logout_on_close`` True: ``close()`` ends the PlentyONE session. The session is shared
      through the token store, so long-lived workers sharing a store should pass False and
      leave the logout to the process that shuts the system down.
    """

    base_url: str
    username: str
    password: Secret
    budget: Budget = field(default_factory=lambda: PLAN_BUDGETS["basic"])
    share: float = 0.6
    window: float = 60.0
    burst: int | None = None
    max_wait: float = 30.0
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    refresh_before_expiry: float = 600.0
    login_lease: float = 30.0
    items_per_page: int = 250
    identity_field: IdentityField = "externalId"
    logout_on_close: bool = True
    user_agent: str = "plentysync"

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", check_base_url(self.base_url, "the PlentyONE URL"))
        if not self.username:
            raise ConfigError("the PlentyONE user name is empty")
        if not 0 < self.share <= 1:
            raise ConfigError(f"the budget share must be above 0 and at most 1, not {self.share}")
        if self.window <= 0 or self.max_wait < 0:
            raise ConfigError("the rate-limit window must be positive and max_wait not negative")
        if not 1 <= self.items_per_page <= 250:
            raise ConfigError("items_per_page must be between 1 and 250 (the API maximum)")

    @classmethod
    def for_plan(cls, plan: Plan, **kwargs: object) -> PlentyConfig:
        """A configuration with the documented budget of ``plan``."""
        return cls(budget=Budget.for_plan(plan), **kwargs)  # type: ignore[arg-type]

    def with_changes(self, **changes: object) -> PlentyConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    def allowed_per_day(self, kind: str) -> int:
        return max(1, math.floor(self.budget.per_day(kind) * self.share))

    @property
    def user_key(self) -> str:
        """Names this PlentyONE user in shared stores: one token and one budget per user."""
        return f"{self.base_url}|{self.username}"

    @property
    def system_key(self) -> str:
        """Names the PlentyONE system: the daily budget belongs to the system, not the user."""
        return self.base_url
