"""Opening the two APIs for a profile: clients built from the stored connection settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.clients import client_password, client_settings
from core.config_data import load_config
from core.db.models import Client, Profile
from core.db.models import MagentoSource as SourceRow
from core.errors import ConfigError
from core.magento import AdminLogin, IntegrationBearer, MagentoConfig, MagentoSource, OAuth1
from core.magento._config import Credentials
from core.mapping import MappingContext, PlentyReference, ShopReference
from core.plenty import (
    DatabaseBudgetBackend,
    DatabaseTokenStore,
    ExchangeHook,
    LongPeriodNotes,
    PlentyClient,
    PlentyConfig,
)
from core.plenty._budget_backends import BudgetBackend
from core.plenty._tokens import TokenStore
from core.profiles.service import profile_settings
from core.secrets import Secret
from core.settings import get_settings
from core.sources import source_secrets, source_settings


@dataclass
class Backends:
    """Where the PlentyONE token and budget are shared: the database on a single host."""

    tokens: TokenStore | None = None
    budget: BudgetBackend | None = None
    hooks: Sequence[ExchangeHook] = field(default_factory=tuple)


def plenty_config(
    client: Client, overrides: Mapping[str, object] | None = None, *, with_password: bool = True
) -> PlentyConfig:
    """The PlentyONE client settings of a stored client.

    ``with_password=False`` leaves the password out, for readers of the shared budget (status)
    that must work where the secret key is not available.
    """
    settings = client_settings(client)
    config = PlentyConfig(
        base_url=client.base_url,
        username=client.username,
        password=client_password(client) if with_password else Secret(""),
        budget=settings.budget(),
        share=settings.budget_share,
        identity_field=settings.identity_field,
        # The token is shared through the store: one process ending must not end it for all.
        logout_on_close=False,
    )
    return config.with_changes(**overrides) if overrides else config


def open_plenty(
    client: Client, backends: Backends | None = None, **overrides: object
) -> PlentyClient:
    """A PlentyONE client sharing token and budget through ``backends`` (database default)."""
    backends = backends or Backends()
    config = plenty_config(client, overrides)
    plenty = PlentyClient(
        config,
        token_store=backends.tokens or DatabaseTokenStore(),
        budget_backend=backends.budget or DatabaseBudgetBackend(),
        hooks=backends.hooks,
        mask_personal_data=get_settings().mask_personal_data,
    )
    # The daily budget's headers feed the days estimate of status and the run view.
    plenty.governor.long_notes = LongPeriodNotes(config.system_key)
    return plenty


def magento_config(source: SourceRow) -> MagentoConfig:
    secrets = source_secrets(source)
    settings = source_settings(source)
    credentials: Credentials
    if source.auth_mode == "bearer":
        credentials = IntegrationBearer(access_token=secrets["token"])
    elif source.auth_mode == "oauth1":
        credentials = OAuth1(
            consumer_key=secrets["consumer_key"].reveal(),
            consumer_secret=secrets["consumer_secret"],
            access_token=secrets["access_token"],
            access_token_secret=secrets["access_token_secret"],
        )
    elif source.auth_mode == "admin":
        credentials = AdminLogin(username=source.username, password=secrets["password"])
    else:
        raise ConfigError(f"source {source.name!r}: unknown auth mode {source.auth_mode!r}")
    return MagentoConfig(
        base_url=source.base_url,
        credentials=credentials,
        store_code=settings.store_code,
        page_size=settings.page_size,
        max_concurrency=settings.max_concurrency,
        min_interval=settings.min_interval_ms / 1000,
        read_timeout=settings.timeout_s,
    )


def open_magento(source: SourceRow) -> MagentoSource:
    return MagentoSource(magento_config(source))


def mapping_context(profile: Profile) -> MappingContext:
    """The profile's settings with the configuration collected for its client and source."""
    settings = client_settings(profile.client)
    return MappingContext(
        settings=profile_settings(profile),
        plenty=PlentyReference.from_config(load_config("client", profile.client_id)),
        shop=ShopReference.from_config(load_config("source", profile.source_id)),
        namespace=profile.source.namespace,
        identity_field=settings.identity_field,
    )
