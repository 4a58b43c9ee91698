"""Settings of the Magento emulator: dataset size, credentials, paging habits and faults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

# Well-known sandbox credentials; the emulator only ever listens on loopback.
DEFAULT_INTEGRATION_TOKEN = "sandbox-integration-token"
DEFAULT_CONSUMER_KEY = "sandboxconsumerkey00000000000001"
DEFAULT_CONSUMER_SECRET = "sandboxconsumersecret0000000001"
DEFAULT_ACCESS_TOKEN = "sandboxaccesstoken0000000000001"
DEFAULT_ACCESS_TOKEN_SECRET = "sandboxaccesssecret00000000001"
DEFAULT_ADMIN_USERNAME = "admin"
DEFAULT_ADMIN_PASSWORD = "sandbox-admin-123"

SECRET_FIELDS = frozenset(
    {
        "integration_token",
        "consumer_key",
        "consumer_secret",
        "access_token",
        "access_token_secret",
        "admin_username",
        "admin_password",
    }
)
# Fields fixed when the app is created: changing them would change the dataset.
DATASET_FIELDS = frozenset({"customers", "seed", "dirty_share", "orders"})


@dataclass(frozen=True)
class FaultConfig:
    """Injected trouble on ``/rest`` routes; rates are shares of requests (0..1)."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0  # answered 500, 502 or 503 without Retry-After
    throttle_rate: float = 0.0  # answered ``throttle_status`` with Retry-After
    throttle_status: int = 429
    retry_after_seconds: int = 1
    seed: int = 0


@dataclass(frozen=True)
class MagentoSandboxConfig:
    """Everything the emulator can be told; see ``sandbox.magento`` for the defaults."""

    customers: int = 1000
    seed: int = 1
    dirty_share: float = 0.05
    orders: int = 500
    integration_token: str = DEFAULT_INTEGRATION_TOKEN
    # Magento 2.4.4+ refuses integration tokens as bearer tokens unless the merchant allows
    # it; the sandbox allows it by default, switch off to emulate a stock 2.4.4+ shop.
    integration_as_bearer: bool = True
    consumer_key: str = DEFAULT_CONSUMER_KEY
    consumer_secret: str = DEFAULT_CONSUMER_SECRET
    access_token: str = DEFAULT_ACCESS_TOKEN
    access_token_secret: str = DEFAULT_ACCESS_TOKEN_SECRET
    admin_username: str = DEFAULT_ADMIN_USERNAME
    admin_password: str = DEFAULT_ADMIN_PASSWORD
    admin_token_lifetime_seconds: int = 4 * 3600
    # Two-factor authentication refuses admin tokens on this URL, as Magento 2.4 does.
    admin_2fa: bool = False
    past_end: str = "empty"  # "empty" (2.4) or "repeat_last" (2.3)
    input_limits: bool = False
    max_page_size: int = 300
    default_page_size: int = 20
    faults: FaultConfig = field(default_factory=FaultConfig)

    def public(self) -> dict[str, Any]:
        """The settings without credentials, for ``/_sandbox/config``."""
        return {k: v for k, v in asdict(self).items() if k not in SECRET_FIELDS}

    def updated(self, changes: dict[str, Any]) -> MagentoSandboxConfig:
        """A copy with ``changes`` applied; unknown or dataset-shaping keys are a ValueError."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown or DATASET_FIELDS & set(changes):
            raise ValueError(f"cannot change {sorted(unknown | (DATASET_FIELDS & set(changes)))}")
        if changes.get("past_end", self.past_end) not in ("empty", "repeat_last"):
            raise ValueError("past_end is 'empty' or 'repeat_last'")
        values = dict(changes)
        if "faults" in values:
            values["faults"] = replace(self.faults, **values["faults"])
        return replace(self, **values)
