"""plentysync's process-wide settings, read from ``PLENTYSYNC_*`` variables or a ``.env`` file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """The per-user data directory: ``$XDG_DATA_HOME/plentysync`` (``~/.local/share`` if unset)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return (base / "plentysync").absolute()


class Settings(BaseSettings):
    """Where plentysync keeps its data and how it reaches its services."""

    model_config = SettingsConfigDict(
        env_prefix="PLENTYSYNC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    home: Path = Field(default_factory=default_home, description="Data directory.")
    database_url: str | None = Field(
        default=None, description="peewee database URL; default: SQLite file in the home."
    )
    redis_url: str | None = Field(default=None, description="Unset: single-host mode.")
    secret_key: SecretStr | None = Field(default=None, description="Fernet key for secrets.")
    log_dir: Path | None = Field(default=None, description="Default: <home>/logs.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object per line in the log file."
    )
    mask_personal_data: bool = True
    profile: str | None = Field(
        default=None, description="Profile (id or name) of commands given no --profile."
    )

    @field_validator("home", "log_dir")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return value.expanduser().absolute() if value is not None else None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'plentysync.db'}"

    @property
    def resolved_log_dir(self) -> Path:
        return self.log_dir or self.home / "logs"

    @property
    def key_file(self) -> Path:
        return self.home / "secret.key"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the demo change the environment)."""
    get_settings.cache_clear()
