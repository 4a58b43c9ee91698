"""The façade's connections part: PlentyONE clients, Magento sources, schedules, and testing them.

Mixed into ``tui.services.Services`` like ``tui.services_runs``. Forms hand over what was
typed as text (a ``ClientForm``, ``SourceForm``, ``ScheduleForm``); this module turns it into
the core's values and refuses it as ``FieldErrors`` with the form's field paths, so a screen
can put each message under its field. Nothing is written unless every field is accepted.
Secrets travel in one direction only: typed into a form, stored encrypted; a view says
whether one is set, never what it is. An empty secret field means "keep the stored one".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pydantic

from core import clients
from core.clients import ClientSettings, ClientView, blackout_fields
from core.errors import ConfigError, FieldError, FieldErrors, InputError
from core.plenty import PLAN_BUDGETS, Budget
from core.services import connections, schedules
from core.services.connection_checks import ConnectionCheck, check_client, check_source
from core.services.connections import ClientSettingsView
from core.services.schedules import ScheduleView
from core.sources import SourceView
from core.validation import check_base_url, field_errors

__all__ = [
    "PLAN_CHOICES",
    "ClientForm",
    "ClientSettingsView",
    "ClientView",
    "ConnectionCheck",
    "ConnectionsBoard",
    "ConnectionsFacade",
    "FieldErrors",
    "ScheduleForm",
    "ScheduleView",
    "SourceForm",
    "SourceView",
]

AUTH_MODES = ("bearer", "oauth1", "admin")


def _plan_label(plan: str, budget: Budget) -> str:
    return (
        f"{plan}: {budget.reads_per_minute} reads, {budget.writes_per_minute} writes a minute; "
        f"{budget.reads_per_day:,}, {budget.writes_per_day:,} a day"
    )


# The plan select's choices: each plan with the budget it gives, then no plan at all.
PLAN_CHOICES: tuple[tuple[str, str], ...] = (
    *((_plan_label(plan, budget), plan) for plan, budget in PLAN_BUDGETS.items()),
    ("explicit budgets (no plan)", ""),
)
BUDGETS = ("read_per_minute", "write_per_minute", "read_per_day", "write_per_day")


@dataclass(frozen=True)
class ConnectionsBoard:
    """One poll of the connections screen: every client, source and schedule."""

    clients: tuple[ClientView, ...]
    sources: tuple[SourceView, ...]
    schedules: tuple[ScheduleView, ...]


@dataclass(frozen=True)
class ClientForm:
    """A client form as typed; ``plan`` "" means explicit budgets, a budget "" means unset."""

    name: str
    base_url: str
    username: str
    password: str = ""  # "" keeps the stored password
    plan: str = "basic"
    budgets: dict[str, str] = field(default_factory=dict)
    budget_share: str = "0.6"
    identity_field: str = "externalId"
    blackout_windows: str = ""  # space-separated, each as ``01:00-03:00/sat,sun@Europe/Berlin``


@dataclass(frozen=True)
class SourceForm:
    """A source form as typed; a secret "" keeps the stored one (on edit)."""

    name: str
    namespace: str
    base_url: str
    auth_mode: str
    username: str = ""
    secrets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleForm:
    name: str
    cron: str
    timezone: str = "UTC"


def _url(value: str, path: str, what: str, problems: list[FieldError]) -> str:
    try:
        return check_base_url(value.strip(), what)
    except ConfigError as exc:
        problems.append(FieldError(path, str(exc)))
        return value


def _required(value: str, path: str, problems: list[FieldError]) -> str:
    if not value.strip():
        problems.append(FieldError(path, "required"))
    return value.strip()


def _client_settings(
    form: ClientForm, problems: list[FieldError]
) -> tuple[dict[str, Any], list[str]]:
    """The settings the form gives, and those it clears (no plan, an emptied budget)."""
    settings: dict[str, Any] = {"identity_field": form.identity_field}
    unset: list[str] = []
    if form.plan:
        settings["plan"] = form.plan
    else:
        unset.append("plan")
    for name in BUDGETS:
        text = form.budgets.get(name, "").strip().replace(",", "").replace("_", "")
        if not text:
            unset.append(name)
        elif text.isdigit():
            settings[name] = int(text)
        else:
            problems.append(FieldError(name, f"a whole number, not {text!r}"))
    try:
        settings["budget_share"] = float(form.budget_share.strip())
    except ValueError:
        problems.append(FieldError("budget_share", "a number above 0 and at most 1, e.g. 0.6"))
    windows = []
    for text in form.blackout_windows.split():
        try:
            windows.append(blackout_fields(text))
        except InputError as exc:
            problems.append(FieldError("blackout_windows", str(exc)))
    settings["blackout_windows"] = windows
    return settings, unset


def _settings_problems(
    settings: dict[str, Any], unset: list[str], client_id: int | None
) -> list[FieldError]:
    """What the core would refuse in these settings, found before anything else is checked,
    so the form shows every problem at once."""
    current = clients.get_client(client_id).settings or {} if client_id is not None else {}
    merged = {**current, **settings, **dict.fromkeys(unset)}
    try:
        ClientSettings.model_validate(merged)
    except pydantic.ValidationError as exc:
        return field_errors(exc)
    return []


def _name_free(
    name: str,
    taken: list[tuple[int, str]],
    own_id: int | None,
    what: str,
    problems: list[FieldError],
) -> None:
    """A name another row has already is refused on the name field (it is unique)."""
    if name and any(n == name and i != own_id for i, n in taken):
        problems.append(FieldError("name", f"a {what} named {name!r} exists already"))


def _refuse(problems: list[FieldError]) -> None:
    if problems:
        raise FieldErrors(problems)


class ConnectionsFacade:
    """Clients, sources and schedules for the connections screen; ``Services`` guards viewers."""

    def _refuse_in_viewer(self) -> None:  # pragma: no cover - Services defines it
        raise NotImplementedError

    # -- reading ---------------------------------------------------------------------------

    def connections_board(self, now: dt.datetime | None = None) -> ConnectionsBoard:
        return ConnectionsBoard(
            tuple(connections.list_clients()),
            tuple(connections.list_sources()),
            tuple(schedules.list_schedules(now)),
        )

    def auth_modes(self) -> dict[str, tuple[str, ...]]:
        """Each Magento auth mode and the secrets it needs, for the source form."""
        return {mode: connections.secrets_needed(mode) for mode in AUTH_MODES}

    def client_settings(self, client_id: int) -> ClientSettingsView:
        return connections.client_settings(client_id)

    def sources(self) -> list[SourceView]:
        return connections.list_sources()

    def secrets_needed(self, auth_mode: str) -> tuple[str, ...]:
        return connections.secrets_needed(auth_mode)

    def schedules(self, now: dt.datetime | None = None) -> list[ScheduleView]:
        return schedules.list_schedules(now)

    def next_fire_times(
        self, cron: str, timezone: str, now: dt.datetime | None = None
    ) -> tuple[dt.datetime, ...]:
        """The next five times ``cron`` fires in ``timezone``; ``FieldErrors`` when it cannot."""
        return schedules.next_fire_times(cron, timezone or "UTC", 5, now)

    # -- clients ---------------------------------------------------------------------------

    def save_client(self, form: ClientForm, client_id: int | None = None) -> ClientView:
        """Create (``client_id`` None) or change a client, all fields or none."""
        self._refuse_in_viewer()
        problems: list[FieldError] = []
        name = _required(form.name, "name", problems)
        taken = [(c.id, c.name) for c in connections.list_clients()]
        _name_free(name, taken, client_id, "client", problems)
        url = _url(form.base_url, "base_url", "the PlentyONE URL", problems)
        username = _required(form.username, "username", problems)
        if client_id is None and not form.password:
            problems.append(FieldError("password", "required for a new client"))
        settings, unset = _client_settings(form, problems)
        bad = {p.path for p in problems}  # a field that did not parse is left out of this check
        kept = {k: v for k, v in settings.items() if k not in bad}
        problems += _settings_problems(kept, [u for u in unset if u not in bad], client_id)
        _refuse(problems)
        if client_id is None:
            return connections.create_client(
                name=name,
                base_url=url,
                username=username,
                password=form.password,
                settings=settings,
                unset=unset,
            )
        return connections.edit_client(
            client_id,
            name=name,
            base_url=url,
            username=username,
            password=form.password or None,
            settings=settings,
            unset=unset,
        )

    def remove_client(self, client_id: int) -> ClientView:
        self._refuse_in_viewer()
        return connections.remove_client(client_id)

    def test_client(self, client_id: int) -> ConnectionCheck:
        return check_client(client_id)

    # -- sources ---------------------------------------------------------------------------

    def save_source(self, form: SourceForm, source_id: int | None = None) -> SourceView:
        """Create or change a source; on edit the namespace stays what it is."""
        self._refuse_in_viewer()
        problems: list[FieldError] = []
        name = _required(form.name, "name", problems)
        taken = [(v.id, v.name) for v in connections.list_sources()]
        _name_free(name, taken, source_id, "source", problems)
        url = _url(form.base_url, "base_url", "the Magento base URL", problems)
        secrets = {k: v for k, v in form.secrets.items() if v}
        if form.auth_mode == "admin" and not form.username.strip():
            problems.append(FieldError("username", "auth mode 'admin' needs a username"))
        if source_id is None:
            namespace = _required(form.namespace, "namespace", problems)
            for key in connections.secrets_needed(form.auth_mode):
                if key not in secrets:
                    problems.append(FieldError(f"secrets.{key}", "required"))
            _refuse(problems)
            return connections.create_source(
                name=name,
                namespace=namespace,
                base_url=url,
                auth_mode=form.auth_mode,
                secrets=secrets,
                username=form.username.strip(),
            )
        current = connections.show_source(source_id)
        if form.auth_mode != current.auth_mode:
            for key in connections.secrets_needed(form.auth_mode):
                if key not in secrets:
                    problems.append(FieldError(f"secrets.{key}", "required for a new auth mode"))
        _refuse(problems)
        return connections.edit_source(
            source_id,
            name=name,
            base_url=url,
            username=form.username.strip(),
            auth_mode=form.auth_mode,
            secrets=secrets,
        )

    def remove_source(self, source_id: int) -> SourceView:
        self._refuse_in_viewer()
        return connections.remove_source(source_id)

    def test_source(self, source_id: int) -> ConnectionCheck:
        return check_source(source_id)

    # -- schedules -------------------------------------------------------------------------

    def save_schedule(self, form: ScheduleForm, schedule_id: int | None = None) -> ScheduleView:
        """Create or change a schedule; a cron or zone that does not parse is refused first."""
        self._refuse_in_viewer()
        problems: list[FieldError] = []
        name = _required(form.name, "name", problems)
        try:
            schedules.next_fire_times(form.cron, form.timezone or "UTC", 1)
        except FieldErrors as exc:
            problems += exc.errors
        _refuse(problems)
        if schedule_id is None:
            return schedules.create_schedule(
                name=name, cron=form.cron.strip(), timezone=form.timezone.strip() or "UTC"
            )
        return schedules.edit_schedule(
            schedule_id, cron=form.cron.strip(), timezone=form.timezone.strip() or "UTC"
        )

    def remove_schedule(self, schedule_id: int) -> ScheduleView:
        self._refuse_in_viewer()
        return schedules.remove_schedule(schedule_id)
