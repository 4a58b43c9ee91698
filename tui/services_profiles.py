"""The profiles screen's and the profile editor's calls, mixed into ``tui.services.Services``.

Everything here blocks (screens call it from thread workers) and answers frozen values. A
refused document raises the core's ``FieldErrors``, whose paths the editor places under
their fields; nothing is written until the whole document passed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.config_view import Named
from core.errors import ConfigError, FieldError, FieldErrors, InputError
from core.profiles.settings import ProfileSettings
from core.services import configuration, connections, profiles, schedules
from core.services.configuration import Collected, ConnectionChecks, Forgotten
from core.services.profiles import ProfileChoices, ProfileSaved, ProfileSummary

__all__ = [
    "Collected",
    "ConnectionChecks",
    "EditorContext",
    "FieldError",
    "FieldErrors",
    "Forgotten",
    "Named",
    "ProfileChoices",
    "ProfileRow",
    "ProfileSaved",
    "ProfileSettings",
    "ProfilesFacade",
]


@dataclass(frozen=True)
class ProfileRow:
    """One line of the profiles screen: runnable or its first problem, paused, schedule."""

    id: int
    name: str
    client: str
    source: str
    state: str  # "runnable" or the first reason it is not
    problems: int
    paused: bool
    schedule: str  # "every-eu" / "every-eu (off)" / "none"


@dataclass(frozen=True)
class EditorContext:
    """What the editor starts from: the profile (or a new one) and every choice it offers."""

    profile_id: int | None
    name: str
    client: str
    source: str
    settings: dict[str, Any]  # the settings document, schedules by id
    clients: tuple[str, ...]
    sources: tuple[str, ...]
    schedules: tuple[tuple[int, str], ...]
    choices: ProfileChoices | None
    address_targets: tuple[str, ...]


class ProfilesFacade:
    """Profiles: list, edit through the core, remove, export and import the document.

    ``Services`` supplies the deployment and the viewer guard.
    """

    deployment: Any

    def _refuse_in_viewer(self) -> None:  # pragma: no cover - Services defines it
        raise NotImplementedError

    def profile_rows(self) -> list[ProfileRow]:
        names = {s.id: s.name for s in schedules.list_schedules()}
        rows = []
        for summary in profiles.list_profiles():
            detail = profiles.show_profile(summary.id)
            section = detail.settings.get("schedule", {})
            chosen = section.get("schedule_id")
            schedule = names.get(chosen, f"#{chosen}") if chosen else "none"
            if chosen and not section.get("status", True):
                schedule += " (off)"
            rows.append(
                ProfileRow(
                    id=summary.id,
                    name=summary.name,
                    client=summary.client,
                    source=summary.source,
                    state=detail.problems[0] if detail.problems else "runnable",
                    problems=len(detail.problems),
                    paused=summary.paused,
                    schedule=schedule,
                )
            )
        return rows

    def editor_context(
        self, profile_id: int | None = None, *, client: str | None = None, source: str | None = None
    ) -> EditorContext:
        """The editor's start: a saved profile, or a new one on the first client and source."""
        clients = tuple(c.name for c in connections.list_clients())
        sources = tuple(s.name for s in connections.list_sources())
        if profile_id is not None:
            detail = profiles.show_profile(profile_id)
            name, settings = detail.summary.name, detail.settings
            client, source = detail.summary.client, detail.summary.source
        else:
            if not clients or not sources:
                raise ConfigError(
                    "a profile needs a PlentyONE client and a Magento source: add them first "
                    "('plentysync client add', 'plentysync source add')"
                )
            name, settings = "", ProfileSettings().to_document()
            client, source = client or clients[0], source or sources[0]
        return EditorContext(
            profile_id=profile_id,
            name=name,
            client=client,
            source=source,
            settings=settings,
            clients=clients,
            sources=sources,
            schedules=tuple((s.id, s.name) for s in schedules.list_schedules()),
            choices=profiles.connection_choices(client, source),
            address_targets=profiles.address_targets(),
        )

    def profile_choices(self, client: str, source: str) -> ProfileChoices:
        return profiles.connection_choices(client, source)

    def check_profile(self, name: str, settings: Mapping[str, Any]) -> tuple[str, ...]:
        """Validate a whole document without writing: its notices, or every ``FieldErrors``."""
        errors = [] if name.strip() else [FieldError("name", "must not be empty")]
        try:
            notices = profiles.validate_settings(settings)
        except FieldErrors as exc:
            raise FieldErrors([*errors, *exc.errors]) from exc
        if errors:
            raise FieldErrors(errors)
        return notices

    def save_profile(
        self,
        profile_id: int | None,
        *,
        name: str,
        client: str,
        source: str,
        settings: Mapping[str, Any],
    ) -> ProfileSaved:
        """Create or overwrite the profile in one write; ``FieldErrors`` leave it as it was."""
        self._refuse_in_viewer()
        if profile_id is None:
            return profiles.create_profile(name, client, source, settings=settings)
        return profiles.edit_profile(profile_id, changes=dict(settings), name=name)

    def remove_profile(self, profile_id: int) -> ProfileSummary:
        self._refuse_in_viewer()
        return profiles.remove_profile(profile_id)

    def export_profile(self, profile_id: int, path: str) -> str:
        """Write the profile document (schedules by name, no secrets) to ``path``."""
        target = Path(path).expanduser()
        document = profiles.show_profile(profile_id).document
        try:
            target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            raise InputError(f"{target}: {exc.strerror or exc}") from exc
        return str(target)

    def import_profile(self, path: str, *, replace: bool = False) -> ProfileSaved:
        """Create a profile from a document file; a refused one raises and writes nothing."""
        self._refuse_in_viewer()
        source = Path(path).expanduser()
        try:
            document = json.loads(source.read_text())
        except OSError as exc:
            raise InputError(f"{source}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise InputError(f"{source}: not a JSON document ({exc})") from exc
        if not isinstance(document, dict):
            raise InputError(f"{source}: not a profile document (expected an object)")
        return profiles.import_profile(document, replace=replace)

    def collect_config(self, client: str, source: str) -> list[Collected]:
        self._refuse_in_viewer()
        return configuration.collect_config(client, source)

    def forget_config(self, client: str, source: str) -> list[Forgotten]:
        self._refuse_in_viewer()
        return configuration.forget_config(client, source)

    def create_referrer(self, client: str, name: str) -> Named:
        self._refuse_in_viewer()
        return configuration.create_referrer(client, name)

    def connection_checks(self, profile_id: int) -> ConnectionChecks:
        return configuration.connection_checks(profile_id, backends=self.deployment.work_backends())
