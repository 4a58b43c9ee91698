"""The PlentyONE clients and Magento sources a front end lists, shows, creates, edits, removes.

Views never carry a secret, only whether it is set. Secrets are taken as plain text and
stored encrypted; asking for them (a file, the environment, a hidden prompt) is the front
end's part. Settings are validated as a whole: a refused one raises ``FieldErrors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic

from core import clients, sources
from core.clients import ClientSettings, ClientView
from core.errors import FieldErrors
from core.sources import SourceCredentials, SourceSettings, SourceView
from core.validation import field_errors

Ref = str | int
Model = TypeVar("Model", bound=pydantic.BaseModel)


def _validated(build: Callable[..., Model], values: Mapping[str, Any]) -> Model:
    try:
        return build(**values)
    except pydantic.ValidationError as exc:
        raise FieldErrors(field_errors(exc)) from exc


def _merged(
    current: Mapping[str, Any], changes: Mapping[str, Any] | None, unset: Sequence[str] = ()
) -> dict[str, Any]:
    """``current`` with every change that is not None (None: leave the value as it is), and
    the fields named in ``unset`` set to None (no plan, no explicit budget)."""
    merged = dict(current)
    merged.update({k: v for k, v in (changes or {}).items() if v is not None})
    merged.update(dict.fromkeys(unset))
    return merged


def list_clients() -> list[ClientView]:
    """Every PlentyONE system, by id."""
    return clients.client_views()


def show_client(ref: Ref) -> ClientView:
    """One PlentyONE system by id or name (never its password)."""
    return clients.client_view(clients.get_client(ref))


@dataclass(frozen=True)
class ClientSettingsView:
    """A client's settings as stored: explicit budgets apart from the plan's (None: unset)."""

    plan: str | None
    read_per_minute: int | None
    write_per_minute: int | None
    read_per_day: int | None
    write_per_day: int | None
    budget_share: float
    identity_field: str
    blackout_windows: tuple[str, ...]  # as written: 01:00-03:00/sat,sun@Europe/Berlin


def client_settings(ref: Ref) -> ClientSettingsView:
    """What a client form starts from: the settings as given, not the budget they make."""
    settings = clients.client_settings(clients.get_client(ref))
    return ClientSettingsView(
        plan=settings.plan,
        read_per_minute=settings.read_per_minute,
        write_per_minute=settings.write_per_minute,
        read_per_day=settings.read_per_day,
        write_per_day=settings.write_per_day,
        budget_share=settings.budget_share,
        identity_field=settings.identity_field,
        blackout_windows=tuple(w.describe() for w in settings.blackout_windows),
    )


def create_client(
    *,
    name: str,
    base_url: str,
    username: str,
    password: str,
    settings: Mapping[str, Any] | None = None,
    unset: Sequence[str] = (),
) -> ClientView:
    """Add a PlentyONE system; ``settings`` as ``ClientSettings`` fields (plan, limits ...),
    ``unset`` the ones that are None rather than their default (``plan``: explicit budgets)."""
    parsed = _validated(ClientSettings, _merged({}, settings, unset))
    client = clients.create_client(
        name=name, base_url=base_url, username=username, password=password, settings=parsed
    )
    return clients.client_view(client)


def edit_client(
    ref: Ref,
    *,
    name: str | None = None,
    base_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    settings: Mapping[str, Any] | None = None,
    unset: Sequence[str] = (),
) -> ClientView:
    """Change a PlentyONE system; None leaves a value, ``settings`` changes single fields,
    ``unset`` clears settings (the plan, an explicit budget) to None."""
    client = clients.get_client(ref)
    parsed = _validated(ClientSettings, _merged(client.settings or {}, settings, unset))
    clients.update_client(
        client,
        name=name,
        base_url=base_url,
        username=username,
        password=password,
        settings=parsed,
    )
    return clients.client_view(client)


def remove_client(ref: Ref) -> ClientView:
    """Remove a PlentyONE system no profile uses (its links go with it); what it was."""
    client = clients.get_client(ref)
    gone = clients.client_view(client)
    clients.remove_client(client)
    return gone


def list_sources() -> list[SourceView]:
    """Every Magento store, by id."""
    return sources.source_views()


def show_source(ref: Ref) -> SourceView:
    """One Magento store by id or name (which secrets are set, never their values)."""
    return sources.source_view(sources.get_source(ref))


def secrets_needed(auth_mode: str) -> tuple[str, ...]:
    """The secrets an auth mode needs (``token``; OAuth's four; ``password``)."""
    return sources.required_secrets(auth_mode)


def create_source(
    *,
    name: str,
    namespace: str,
    base_url: str,
    auth_mode: str,
    secrets: Mapping[str, str],
    username: str = "",
    settings: Mapping[str, Any] | None = None,
) -> SourceView:
    """Add a Magento store; its namespace prefixes every identity written and never changes."""
    credentials = _credentials(auth_mode, secrets)
    source = sources.create_source(
        name=name,
        namespace=namespace,
        base_url=base_url,
        credentials=credentials,
        username=username,
        settings=_validated(SourceSettings, _merged({}, settings)),
    )
    return sources.source_view(source)


def _credentials(auth_mode: str, secrets: Mapping[str, str]) -> SourceCredentials:
    values = {k: v for k, v in secrets.items() if v}
    return _validated(SourceCredentials, {"auth_mode": auth_mode, "values": values})


def edit_source(
    ref: Ref,
    *,
    name: str | None = None,
    namespace: str | None = None,
    base_url: str | None = None,
    username: str | None = None,
    auth_mode: str | None = None,
    secrets: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> SourceView:
    """Change a Magento store; None leaves a value.

    ``secrets`` replaces the secrets it names and keeps the others; a new ``auth_mode``
    starts from no secrets, so it needs every one the mode asks for.
    """
    source = sources.get_source(ref)
    credentials = None
    if auth_mode or secrets:
        mode = auth_mode or source.auth_mode
        current = {k: v.reveal() for k, v in sources.source_secrets(source).items()}
        if mode != source.auth_mode:
            current = {}
        current.update({k: v for k, v in (secrets or {}).items() if v})
        credentials = _credentials(mode, current)
    parsed = None
    if settings and any(v is not None for v in settings.values()):
        parsed = _validated(
            SourceSettings, _merged(sources.source_settings(source).model_dump(), settings)
        )
    sources.update_source(
        source,
        name=name,
        namespace=namespace,
        base_url=base_url,
        username=username,
        credentials=credentials,
        settings=parsed,
    )
    return sources.source_view(source)


def remove_source(ref: Ref) -> SourceView:
    """Remove a Magento store no profile uses; what it was."""
    source = sources.get_source(ref)
    gone = sources.source_view(source)
    sources.remove_source(source)
    return gone
