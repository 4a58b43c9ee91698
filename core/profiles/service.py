"""Saving, loading, checking and exchanging customer export profiles."""

from __future__ import annotations

from typing import Any

import pydantic

from core.config_data import load_config
from core.db.connection import write_transaction
from core.db.models import Client, MagentoSource, Profile, Schedule, utcnow
from core.errors import ConfigError, FieldError, FieldErrors
from core.profiles.referrer_change import forget_referrer_changes, note_referrer_change
from core.profiles.runnable import Problem, runnable_problems
from core.profiles.schedule_refs import schedules_by_id, schedules_by_name
from core.profiles.settings import ProfileSettings
from core.validation import field_errors

DOCUMENT_FORMAT = "plentysync-profile/1"


class ProfileInputError(FieldErrors):
    """Profile values that are not well-formed; ``errors`` names each field and what is allowed."""


def parse_settings(data: dict[str, Any]) -> ProfileSettings:
    """Validate a settings document; every error names its field."""
    try:
        return ProfileSettings.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ProfileInputError(field_errors(exc)) from exc


def profile_settings(profile: Profile) -> ProfileSettings:
    return parse_settings(profile.settings or {})


def _check_store_overlap(
    settings: ProfileSettings, client: Client, source: MagentoSource, exclude: int | None
) -> None:
    mine = settings.covered_stores()
    others = Profile.select().where((Profile.client == client) & (Profile.source == source))
    for other in others:
        if other.id == exclude:
            continue
        theirs = profile_settings(other).covered_stores()
        if mine is None or theirs is None:
            overlap = "every store (its store filter is off)" if theirs is None else "stores"
            if mine is None and theirs is not None:
                overlap = ", ".join(str(s) for s in sorted(theirs)) or "no store"
            raise ConfigError(
                f"profile {other.name!r} on client {client.name!r} already covers {overlap}; "
                "two profiles on one client may not export the same store: turn the store "
                "filter on and map distinct stores"
            )
        common = mine & theirs
        if common:
            stores = ", ".join(str(s) for s in sorted(common))
            raise ConfigError(
                f"profile {other.name!r} on client {client.name!r} already covers store(s) "
                f"{stores}; two profiles on one client may not export the same store"
            )


def create_profile(
    *, name: str, client: Client, source: MagentoSource, settings: ProfileSettings
) -> Profile:
    """Save a new profile as a draft (well-formed values; it need not be runnable yet)."""
    with write_transaction():
        if Profile.select().where(Profile.name == name).exists():
            raise ConfigError(f"a profile named {name!r} exists already")
        _check_store_overlap(settings, client, source, exclude=None)
        profile: Profile = Profile.create(
            name=name, client=client, source=source, settings=settings.to_document()
        )
    return profile


def save_profile(profile: Profile, settings: ProfileSettings, *, name: str | None = None) -> None:
    with write_transaction():
        _check_store_overlap(settings, profile.client, profile.source, exclude=profile.id)
        note_referrer_change(profile, profile_settings(profile), settings)
        profile.settings = settings.to_document()
        if name is not None:
            profile.name = name
        profile.updated_at = utcnow()
        profile.save()


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set ``section.field`` in a settings document, e.g. ``schedule.process_batch_size``."""
    parts = path.split(".")
    node = document
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            raise ProfileInputError([FieldError(path, f"no such setting section {part!r}")])
        node = child
    if parts[-1] not in node:
        raise ProfileInputError([FieldError(path, "no such setting")])
    node[parts[-1]] = value


def get_profile(ref: str | int) -> Profile:
    text = str(ref)
    found = (
        Profile.select()
        .where((Profile.id == int(text)) if text.isdigit() else (Profile.name == text))
        .first()
    )
    if found is None:
        raise ConfigError(f"no profile {ref!r} (see 'plentysync profile list')")
    return found


def check_runnable(profile: Profile) -> list[Problem]:
    """Every reason ``profile`` cannot run now; callers refuse to start a run unless it is empty."""
    settings = profile_settings(profile)
    return runnable_problems(
        settings,
        client_config=load_config("client", profile.client_id),
        source_config=load_config("source", profile.source_id),
        schedule_ids={s.id for s in Schedule.select(Schedule.id)},
        client_id=profile.client_id,
        source_id=profile.source_id,
    )


def export_document(profile: Profile) -> dict[str, Any]:
    """The profile as a reviewable JSON document; clients, sources and schedules by name, no
    secrets."""
    return {
        "format": DOCUMENT_FORMAT,
        "name": profile.name,
        "client": profile.client.name,
        "source": profile.source.name,
        "paused": profile.paused,
        "settings": schedules_by_name(profile_settings(profile).to_document()),
    }


def document_settings(document: dict[str, Any]) -> ProfileSettings:
    """The settings of an exchanged document, its schedule names resolved to this installation."""
    raw = document.get("settings")
    if not isinstance(raw, dict):
        raise ProfileInputError([FieldError("settings", "must be an object")])
    return parse_settings(schedules_by_id(raw))


def import_document(document: dict[str, Any], *, replace: bool = False) -> Profile:
    """Create a profile from an exported document, or overwrite one of the same name.

    Schedules are looked up by name (``schedule_name``); documents carrying ids still import.
    """
    if document.get("format") != DOCUMENT_FORMAT:
        raise ProfileInputError([FieldError("format", f"expected {DOCUMENT_FORMAT!r}")])
    missing = [k for k in ("name", "client", "source", "settings") if k not in document]
    if missing:
        raise ProfileInputError([FieldError(k, "is required") for k in missing])
    settings = document_settings(document)
    client = Client.get_or_none(Client.name == document["client"])
    source = MagentoSource.get_or_none(MagentoSource.name == document["source"])
    if client is None:
        raise ConfigError(f"client: no client named {document['client']!r}; add it first")
    if source is None:
        raise ConfigError(f"source: no Magento source named {document['source']!r}; add it first")
    existing = Profile.get_or_none(Profile.name == document["name"])
    if existing is not None:
        if not replace:
            raise ConfigError(f"a profile named {document['name']!r} exists; use --replace")
        if (existing.client_id, existing.source_id) != (client.id, source.id):
            raise ConfigError("--replace keeps a profile's client and source; remove it first")
        save_profile(existing, settings)
        profile = existing
    else:
        profile = create_profile(
            name=document["name"], client=client, source=source, settings=settings
        )
    if bool(document.get("paused", False)) != profile.paused:
        profile.paused = bool(document.get("paused", False))
        with write_transaction():
            profile.save()
    return profile


def remove_profile(profile: Profile) -> None:
    with write_transaction():
        forget_referrer_changes(profile)
        profile.delete_instance(recursive=True)
