"""How plentysync reaches one Magento shop: address, credentials, limits and politeness."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.errors import ConfigError
from core.secrets import Secret
from core.validation import check_base_url

# Magento refuses larger pages when its Web API input limits are switched on.
MAX_PAGE_SIZE = 300


class AuthMode(StrEnum):
    """The three ways an external program may authenticate against Magento's REST API."""

    INTEGRATION_BEARER = "integration_bearer"
    OAUTH1 = "oauth1"
    ADMIN_TOKEN = "admin_token"


@dataclass(frozen=True)
class IntegrationBearer:
    """An integration's access token sent as a Bearer token.

    Magento 2.4.4+ accepts this only when the shop allows integration tokens as standalone
    Bearer tokens (Stores > Configuration > Services > OAuth); otherwise use ``OAuth1``.
    """

    access_token: Secret
    mode: AuthMode = field(default=AuthMode.INTEGRATION_BEARER, init=False)


@dataclass(frozen=True)
class OAuth1:
    """An integration's four credentials; every request is signed with HMAC-SHA256."""

    consumer_key: str
    consumer_secret: Secret
    access_token: Secret
    access_token_secret: Secret
    mode: AuthMode = field(default=AuthMode.OAUTH1, init=False)


@dataclass(frozen=True)
class AdminLogin:
    """An admin user's name and password, exchanged for a token (blocked by admin 2FA)."""

    username: str
    password: Secret
    mode: AuthMode = field(default=AuthMode.ADMIN_TOKEN, init=False)


Credentials = IntegrationBearer | OAuth1 | AdminLogin


@dataclass(frozen=True)
class MagentoConfig:
    """One Magento source as the client uses it; built by the caller, never read from globals.

    * ``store_code`` - REST scope ``/rest/<code>/V1``: ``"all"`` (default, admin scope, which
      Magento does not filter by store anyway) or ``None`` for the default store view.
    * ``page_size`` - records per page, 200 by default; Magento's input limits allow 300.
    * ``max_concurrency`` (2) and ``min_interval`` (0.05 s between request starts) - shared
      by every client of the same ``source_key`` (default: the base URL) in this process.
    * ``max_attempts`` (5 in all) with backoff from ``backoff_base`` (1 s) doubling up to
      ``backoff_max`` (30 s); a ``Retry-After`` up to ``max_retry_after`` (120 s) is slept
      through, a longer one is raised to the caller (a ``RateLimitedError`` for a 429, a
      ``TransientError`` for a 503).
    * ``connect_timeout`` (10 s) and ``read_timeout`` (60 s) per request.
    * ``enumeration_wait`` (30 s) - how long a scan waits for another scan of the same
      source in this process before giving up with a ``TransientError``.
    """

    base_url: str
    credentials: Credentials
    store_code: str | None = "all"
    page_size: int = 200
    max_concurrency: int = 2
    min_interval: float = 0.05
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    # A longer Retry-After is not slept through inside a call: the caller reschedules.
    max_retry_after: float = 120.0
    enumeration_wait: float = 30.0
    source_key: str = ""

    def __post_init__(self) -> None:
        check_base_url(self.base_url, "the Magento base URL")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ConfigError(f"Magento page size must be between 1 and {MAX_PAGE_SIZE}")
        if self.max_concurrency < 1:
            raise ConfigError("Magento max_concurrency must be at least 1")
        if self.min_interval < 0 or self.max_attempts < 1:
            raise ConfigError("Magento min_interval must be >= 0 and max_attempts >= 1")
        if self.store_code is not None and not self.store_code.replace("_", "").isalnum():
            raise ConfigError(f"Magento store code {self.store_code!r} is not a store code")

    @property
    def auth_mode(self) -> AuthMode:
        return self.credentials.mode

    @property
    def rest_root(self) -> str:
        """The URL every ``V1`` path is appended to."""
        scope = f"/{self.store_code}" if self.store_code else ""
        return f"{self.base_url.rstrip('/')}/rest{scope}/V1"

    @property
    def throttle_key(self) -> str:
        """What identifies this source for the shared throttle and enumeration lock."""
        return self.source_key or self.base_url.rstrip("/")
