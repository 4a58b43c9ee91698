"""Magento sources: where the store is, how we authenticate, and our namespace in PlentyONE."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.db.connection import write_transaction
from core.db.models import MagentoSource, Profile, utcnow
from core.errors import ConfigError
from core.secrets import Secret, decrypt, encrypt
from core.validation import check_base_url

AuthMode = Literal["bearer", "oauth1", "admin"]
_NAMESPACE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
SECRET_KEYS = (
    "token",
    "consumer_key",
    "consumer_secret",
    "access_token",
    "access_token_secret",
    "password",
)
_REQUIRED = {
    "bearer": ("token",),
    "oauth1": ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
    "admin": ("password",),
}


def required_secrets(auth_mode: str) -> tuple[str, ...]:
    """The credential keys an auth mode cannot work without (none for an unknown mode)."""
    return _REQUIRED.get(auth_mode, ())


def check_namespace(value: str) -> str:
    if not _NAMESPACE.match(value):
        raise ConfigError(
            f"namespace {value!r}: use 2-40 lowercase letters, digits and dashes, e.g. shop-eu"
        )
    return value


class SourceSettings(BaseModel):
    """How gently plentysync reads the shop."""

    model_config = ConfigDict(extra="forbid")

    store_code: str = Field(default="all", pattern=r"^[a-z0-9_]+$")
    page_size: int = Field(default=200, ge=1, le=300)
    max_concurrency: int = Field(default=4, ge=1, le=32)
    min_interval_ms: int = Field(default=0, ge=0, le=60_000)
    timeout_s: float = Field(default=30.0, gt=0, le=600)


class SourceCredentials(BaseModel):
    """The secrets of one auth mode; only the mode's own keys are kept."""

    model_config = ConfigDict(extra="forbid")

    auth_mode: AuthMode
    values: dict[str, str] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SECRET_KEYS))
        if unknown:
            raise ValueError(f"unknown credential keys: {', '.join(unknown)}")
        return {k: v for k, v in value.items() if v}

    @model_validator(mode="after")
    def _complete(self) -> SourceCredentials:
        missing = [k for k in _REQUIRED[self.auth_mode] if not self.values.get(k)]
        if missing:
            raise ValueError(f"auth mode {self.auth_mode!r} needs {', '.join(missing)}")
        return self


def create_source(
    *,
    name: str,
    namespace: str,
    base_url: str,
    credentials: SourceCredentials,
    username: str = "",
    settings: SourceSettings | None = None,
) -> MagentoSource:
    check_namespace(namespace)
    if credentials.auth_mode == "admin" and not username:
        raise ConfigError("auth mode 'admin' needs a username")
    with write_transaction():
        if MagentoSource.select().where(MagentoSource.namespace == namespace).exists():
            raise ConfigError(f"namespace {namespace!r} is used by another source")
        if MagentoSource.select().where(MagentoSource.name == name).exists():
            raise ConfigError(f"a source named {name!r} exists already")
        source: MagentoSource = MagentoSource.create(
            name=name,
            namespace=namespace,
            base_url=check_base_url(base_url, "the Magento base URL"),
            auth_mode=credentials.auth_mode,
            username=username,
            credentials=encrypt(json.dumps(credentials.values)),
            settings=(settings or SourceSettings()).model_dump(mode="json"),
        )
    return source


def update_source(source: MagentoSource, **changes: Any) -> MagentoSource:
    """Change a source; its namespace is fixed for life, since every identity we wrote uses it."""
    namespace = changes.pop("namespace", None)
    if namespace is not None and namespace != source.namespace:
        raise ConfigError(
            f"the namespace of source {source.name!r} is {source.namespace!r} and cannot change: "
            "contacts in PlentyONE carry it. Add a new source for a new namespace."
        )
    credentials = changes.pop("credentials", None)
    if credentials is not None:
        source.auth_mode = credentials.auth_mode
        source.credentials = encrypt(json.dumps(credentials.values))
    settings = changes.pop("settings", None)
    if settings is not None:
        source.settings = settings.model_dump(mode="json")
    for key in ("name", "base_url", "username"):
        value = changes.pop(key, None)  # None: left as it is
        if value is not None:
            if key == "base_url":
                value = check_base_url(value, "the Magento base URL")
            setattr(source, key, value)
    if changes:
        raise ConfigError(f"unknown source fields: {', '.join(sorted(changes))}")
    source.updated_at = utcnow()
    with write_transaction():
        source.save()
    return source


def source_secrets(source: MagentoSource) -> dict[str, Secret]:
    """The decrypted credentials of a source, each wrapped so it never prints."""
    plain = decrypt(source.credentials).reveal()
    values: dict[str, str] = json.loads(plain) if plain else {}
    return {key: Secret(value) for key, value in values.items()}


def source_settings(source: MagentoSource) -> SourceSettings:
    return SourceSettings.model_validate(source.settings or {})


def remove_source(source: MagentoSource) -> None:
    used = [p.name for p in Profile.select().where(Profile.source == source)]
    if used:
        raise ConfigError(f"source {source.name!r} is used by profiles: {', '.join(used)}")
    with write_transaction():
        source.delete_instance()


def get_source(ref: str | int) -> MagentoSource:
    query = MagentoSource.select()
    text = str(ref)
    found = query.where(
        (MagentoSource.id == int(text)) if text.isdigit() else (MagentoSource.name == text)
    ).first()
    if found is None:
        raise ConfigError(f"no Magento source {ref!r} (see 'plentysync source list')")
    return found


@dataclass(frozen=True)
class SourceView:
    """A Magento store as an operator sees it: which secrets are set, never their values."""

    id: int
    name: str
    namespace: str
    base_url: str
    auth_mode: str
    username: str
    secrets_set: tuple[str, ...]
    settings: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["credentials"] = {k: "(set, encrypted)" for k in shown.pop("secrets_set")}
        return shown


def source_view(source: MagentoSource) -> SourceView:
    """What ``source list`` and ``source show`` show of one source."""
    secrets = source_secrets(source)
    return SourceView(
        id=source.id,
        name=source.name,
        namespace=source.namespace,
        base_url=source.base_url,
        auth_mode=source.auth_mode,
        username=source.username,
        secrets_set=tuple(k for k in SECRET_KEYS if k in secrets),
        settings=source_settings(source).model_dump(),
    )


def source_views() -> list[SourceView]:
    """Every Magento store, by id."""
    return [source_view(s) for s in MagentoSource.select().order_by(MagentoSource.id)]
