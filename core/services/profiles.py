"""Profiles as a front end manages them: summaries, detail, create, edit, remove, pause, schedule.

Settings arrive as a document (``section.field`` nesting, as ``profile export-config`` writes
it); a refused document raises ``FieldErrors`` whose paths are the settings' own
(``customer.group_mapping[0].plenty_class_id``), or ``name``, ``client`` and ``source`` for
the profile's own fields.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.clients import get_client
from core.config_view import (
    ClientConfigView,
    SourceConfigView,
    client_config_view,
    source_config_view,
)
from core.db.connection import write_transaction
from core.db.models import Profile, utcnow
from core.errors import ConfigError, FieldError, FieldErrors
from core.profiles import service
from core.profiles.address_fields import ADDRESS_FIELDS, ADDRESS_OPTIONS
from core.profiles.referrer_change import referrer_change
from core.profiles.settings import ProfileSettings
from core.sources import get_source

ProfileRef = str | int


@dataclass(frozen=True)
class ProfileSummary:
    """One profile as a list shows it."""

    id: int
    name: str
    client: str
    source: str
    behaviour: str
    scheduled: bool
    paused: bool
    runnable: bool


@dataclass(frozen=True)
class ProfileDetail:
    """One profile: its summary, why it cannot run, the referrer note and its settings."""

    summary: ProfileSummary
    namespace: str
    problems: tuple[str, ...]  # empty: runnable
    referrer_note: str | None
    settings: dict[str, Any]  # the settings document, schedules by id
    document: dict[str, Any]  # as 'profile export-config' writes it (schedules by name)


@dataclass(frozen=True)
class ProfileSaved:
    """A profile after create or edit: what it is now and the notices its settings raised."""

    detail: ProfileDetail
    notices: tuple[str, ...]


def _summary(profile: Profile, problems: list[str] | None = None) -> ProfileSummary:
    settings = service.profile_settings(profile)
    if problems is None:
        problems = [str(p) for p in service.check_runnable(profile)]
    return ProfileSummary(
        id=profile.id,
        name=profile.name,
        client=profile.client.name,
        source=profile.source.name,
        behaviour=settings.http_api.api_behaviour,
        scheduled=settings.schedule.status,
        paused=profile.paused,
        runnable=not problems,
    )


def _detail(profile: Profile) -> ProfileDetail:
    problems = [str(p) for p in service.check_runnable(profile)]
    settings = service.profile_settings(profile)
    change = referrer_change(profile, settings)
    return ProfileDetail(
        summary=_summary(profile, problems),
        namespace=profile.source.namespace,
        problems=tuple(problems),
        referrer_note=str(change) if change else None,
        settings=settings.to_document(),
        document=service.export_document(profile),
    )


def list_profiles() -> list[ProfileSummary]:
    """Every profile, by id."""
    return [_summary(p) for p in Profile.select().order_by(Profile.id)]


def show_profile(ref: ProfileRef) -> ProfileDetail:
    """One profile by id or name."""
    return _detail(service.get_profile(ref))


def _set_paused(ref: ProfileRef, paused: bool) -> ProfileSummary:
    profile = service.get_profile(ref)
    with write_transaction():
        Profile.update(paused=paused, updated_at=utcnow()).where(Profile.id == profile.id).execute()
    return _summary(service.get_profile(profile.id))


def pause_profile(ref: ProfileRef) -> ProfileSummary:
    """Skip the profile's scheduled runs until it is resumed (a running run finishes)."""
    return _set_paused(ref, True)


def resume_profile(ref: ProfileRef) -> ProfileSummary:
    """Let the profile's schedules fire again."""
    return _set_paused(ref, False)


def set_schedule_enabled(ref: ProfileRef, on: bool) -> ProfileSummary:
    """Turn the profile's schedule on or off; on needs a schedule set in its settings."""
    profile = service.get_profile(ref)
    settings = service.profile_settings(profile)
    if on and settings.schedule.schedule_id is None:
        raise ConfigError(
            f"profile {profile.name!r} has no schedule: set one with "
            "'profile edit ID --set schedule.schedule_id=N'"
        )
    section = settings.schedule.model_copy(update={"status": on})
    service.save_profile(profile, settings.model_copy(update={"schedule": section}))
    return _summary(service.get_profile(profile.id))


def _field(path: str, find: Any, ref: Any) -> Any:
    try:
        return find(ref)
    except ConfigError as exc:
        raise FieldErrors([FieldError(path, exc.message)]) from exc


def _settings_of(document: Mapping[str, Any], changes: Mapping[str, Any]) -> ProfileSettings:
    """Validated settings: the document with each ``section.field`` change applied."""
    values = copy.deepcopy(dict(document))
    for path, value in changes.items():
        service.set_path(values, path, value)
    return service.parse_settings(values)


def create_profile(
    name: str,
    client: str | int,
    source: str | int,
    settings: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> ProfileSaved:
    """Save a new profile as a draft: well-formed settings, not necessarily runnable yet.

    ``settings`` is a settings document (default: every default value); ``changes`` maps
    ``section.field`` paths to values applied on top.
    """
    errors = [] if name.strip() else [FieldError("name", "must not be empty")]
    if errors:
        raise FieldErrors(errors)
    owner = _field("client", get_client, client)
    store = _field("source", get_source, source)
    base = dict(settings) if settings is not None else ProfileSettings().to_document()
    parsed = _settings_of(base, changes or {})
    profile = service.create_profile(name=name, client=owner, source=store, settings=parsed)
    return ProfileSaved(_detail(profile), tuple(parsed.notices))


def edit_profile(
    ref: ProfileRef, changes: Mapping[str, Any] | None = None, *, name: str | None = None
) -> ProfileSaved:
    """Change settings (``section.field`` -> value) and/or rename the profile."""
    profile = service.get_profile(ref)
    if name is not None and not name.strip():
        raise FieldErrors([FieldError("name", "must not be empty")])
    parsed = _settings_of(service.profile_settings(profile).to_document(), changes or {})
    service.save_profile(profile, parsed, name=name)
    return ProfileSaved(_detail(service.get_profile(profile.id)), tuple(parsed.notices))


def validate_settings(document: Mapping[str, Any]) -> tuple[str, ...]:
    """Check a settings document without saving it: its notices, or ``FieldErrors``."""
    return tuple(service.parse_settings(dict(document)).notices)


def remove_profile(ref: ProfileRef) -> ProfileSummary:
    """Remove a profile with its queue and history (links to contacts stay); what it was."""
    profile = service.get_profile(ref)
    gone = _summary(profile)
    service.remove_profile(profile)
    return gone


@dataclass(frozen=True)
class ProfileChoices:
    """What a profile's fields may name: the collected configuration of its client and source."""

    client: ClientConfigView
    source: SourceConfigView

    @property
    def collected(self) -> bool:
        return self.client.collected and self.source.collected


def collected_choices(ref: ProfileRef) -> ProfileChoices:
    """The classes, referrers, webstores, countries, groups and stores a form offers."""
    profile = service.get_profile(ref)
    return ProfileChoices(client_config_view(profile.client), source_config_view(profile.source))


def connection_choices(client: str | int, source: str | int) -> ProfileChoices:
    """What a profile of this client and source may name, before the profile exists."""
    owner = _field("client", get_client, client)
    store = _field("source", get_source, source)
    return ProfileChoices(client_config_view(owner), source_config_view(store))


def address_targets() -> tuple[str, ...]:
    """The PlentyONE address fields and options an address-field mapping row may fill."""
    return (*ADDRESS_FIELDS, *ADDRESS_OPTIONS)


def import_profile(document: Mapping[str, Any], *, replace: bool = False) -> ProfileSaved:
    """Create a profile from an exchanged document (or overwrite its namesake with ``replace``).

    The whole document is checked before anything is written: a refused one raises
    ``FieldErrors`` (``settings.customer.group_mapping[0]`` ...) and leaves the database as it was.
    """
    try:
        profile = service.import_document(dict(document), replace=replace)
    except FieldErrors as exc:
        raise FieldErrors(
            [
                FieldError(e.path if e.path in _TOP else f"settings.{e.path}", e.message)
                for e in exc.errors
            ]
        ) from exc
    # The notices of the document as given (stored, a clamped value raises none).
    return ProfileSaved(_detail(profile), tuple(service.document_settings(dict(document)).notices))


_TOP = ("format", "name", "client", "source", "settings")
