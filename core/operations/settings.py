"""Settings of the daily operations: history retention, health thresholds and e-mail alerts."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class HealthSettings(BaseSettings):
    """When ``plentysync status`` turns red, and how long finished runs are kept.

    Defaults, and what they switch:

    * ``oldest_pending_s`` 3600: a queue item due for longer than this is unhealthy.
    * ``stale_after_s`` 1800: a running run without progress this long is unhealthy, even
      before the sweeper marks it stale.
    * ``worker_ttl_s`` 60: a worker whose last heartbeat is older counts as gone.
    * ``history_retention_days`` 90: finished runs (and their items) older than this are
      removed by the sweeper; 0 keeps them forever.
    """

    model_config = SettingsConfigDict(
        env_prefix="PLENTYSYNC_HEALTH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    oldest_pending_s: float = Field(default=3600.0, gt=0)
    stale_after_s: float = Field(default=1800.0, gt=0)
    worker_ttl_s: float = Field(default=60.0, gt=0)
    history_retention_days: int = Field(default=90, ge=0)


class NotifySettings(BaseSettings):
    """Where alert mails go; without ``smtp_host`` and ``to`` nothing is sent.

    Defaults, and what they switch:

    * ``smtp_port`` 587 with ``tls`` "starttls"; "ssl" for SMTPS (port 465), "none" for a
      local relay.
    * ``user``/``password``: SMTP login, only from the environment; no login when unset.
    * ``sender`` (``PLENTYSYNC_NOTIFY_FROM``) and ``to`` (comma-separated recipients).
    * ``error_share`` 0.1: a finished run whose failed share of customers is above this
      is an incident, like a failed run.
    """

    model_config = SettingsConfigDict(
        env_prefix="PLENTYSYNC_NOTIFY_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    tls: str = Field(default="starttls", pattern="^(starttls|ssl|none)$")
    user: str | None = None
    password: SecretStr | None = None
    sender: str = Field(default="plentysync@localhost", alias="PLENTYSYNC_NOTIFY_FROM")
    to: Annotated[list[str], NoDecode] = Field(default_factory=list)
    error_share: float = Field(default=0.1, ge=0, le=1)
    timeout_s: float = Field(default=30.0, gt=0)

    @field_validator("to", mode="before")
    @classmethod
    def _addresses(cls, value: object) -> object:
        # One variable for a list of recipients: comma-separated, like a mail header.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host and self.to)
