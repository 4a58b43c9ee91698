"""PlentyONE clients: connection details, API budgets, our share of them and blackout windows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.db.connection import write_transaction
from core.db.models import Client, Profile, utcnow
from core.errors import ConfigError, InputError
from core.plenty import PLAN_BUDGETS, Budget
from core.plenty._config import Plan as PlanName
from core.secrets import Secret, decrypt, encrypt
from core.validation import check_base_url

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

IdentityField = Literal["externalId", "number"]


class BlackoutWindow(BaseModel):
    """A daily time span (for example the ERP's nightly jobs) during which no run sends calls."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(description="HH:MM, local time of the window's time zone")
    end: str = Field(description="HH:MM; an end before the start spans midnight")
    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS))
    timezone: str = "UTC"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("must be a time as HH:MM (00:00 to 23:59)")
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        days = [d.strip().lower()[:3] for d in value]
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise ValueError(f"days must be among {', '.join(WEEKDAYS)}")
        return days

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def contains(self, moment: dt.datetime) -> bool:
        """Whether the aware datetime ``moment`` falls inside this window."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        minute = local.hour * 60 + local.minute
        start = _minutes(self.start)
        end = _minutes(self.end)
        day = WEEKDAYS[local.weekday()]
        if start <= end:
            return day in self.days and start <= minute < end
        previous_day = WEEKDAYS[(local.weekday() - 1) % 7]
        return (day in self.days and minute >= start) or (
            previous_day in self.days and minute < end
        )

    def ends_after(self, moment: dt.datetime) -> dt.datetime:
        """When the window that holds ``moment`` closes, in the window's time zone."""
        zone = ZoneInfo(self.timezone)
        local = moment.astimezone(zone)
        hours, minutes = (int(part) for part in self.end.split(":"))
        day = local.date()
        if _minutes(self.end) <= local.hour * 60 + local.minute:
            day += dt.timedelta(days=1)  # a window across midnight closes the next morning
        return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)

    def describe(self) -> str:
        days = "" if len(self.days) == len(WEEKDAYS) else "/" + ",".join(self.days)
        return f"{self.start}-{self.end}{days}@{self.timezone}"


_WINDOW_TEXT = re.compile(r"^(\d\d:\d\d)-(\d\d:\d\d)(?:/([a-z,]+))?(?:@(.+))?$")
BLACKOUT_FORMAT = "HH:MM-HH:MM[/days][@zone], e.g. 01:00-03:00@UTC"


def blackout_fields(text: str) -> dict[str, Any]:
    """``01:00-03:00/sat,sun@Europe/Berlin`` as ``BlackoutWindow`` fields (the inverse of
    ``describe``); an ``InputError`` when it is not written that way."""
    match = _WINDOW_TEXT.match(text.strip())
    if not match:
        raise InputError(f"blackout window {text!r}: write {BLACKOUT_FORMAT}")
    start, end, days, zone = match.groups()
    fields: dict[str, Any] = {"start": start, "end": end, "timezone": zone or "UTC"}
    if days:
        fields["days"] = days.split(",")
    return fields


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class ClientSettings(BaseModel):
    """How plentysync may use one PlentyONE system beyond its credentials."""

    model_config = ConfigDict(extra="forbid")

    plan: PlanName | None = Field(default="basic", description="published budget preset")
    read_per_minute: int | None = Field(default=None, ge=1, le=100_000)
    write_per_minute: int | None = Field(default=None, ge=1, le=100_000)
    read_per_day: int | None = Field(default=None, ge=1)
    write_per_day: int | None = Field(default=None, ge=1)
    budget_share: float = Field(default=0.6, gt=0, le=1, description="share plentysync may use")
    blackout_windows: list[BlackoutWindow] = Field(default_factory=list)
    identity_field: IdentityField = Field(
        default="externalId", description="contact field that carries our identity"
    )

    @model_validator(mode="after")
    def _budget_known(self) -> ClientSettings:
        if self.plan is None and (self.read_per_minute is None or self.write_per_minute is None):
            raise ValueError("without a plan, read_per_minute and write_per_minute are required")
        return self

    def budget(self) -> Budget:
        """The full budget of the system: the plan's figures with explicit numbers on top."""
        base = PLAN_BUDGETS[self.plan] if self.plan else None
        return Budget(
            reads_per_minute=self.read_per_minute or (base.reads_per_minute if base else 1),
            writes_per_minute=self.write_per_minute or (base.writes_per_minute if base else 1),
            reads_per_day=self.read_per_day or (base.reads_per_day if base else 10**9),
            writes_per_day=self.write_per_day or (base.writes_per_day if base else 10**9),
        )

    def in_blackout(self, moment: dt.datetime) -> bool:
        return self.blackout_at(moment) is not None

    def blackout_at(self, moment: dt.datetime) -> BlackoutWindow | None:
        """The blackout window ``moment`` falls in, if any."""
        return next((w for w in self.blackout_windows if w.contains(moment)), None)


def create_client(
    *, name: str, base_url: str, username: str, password: str, settings: ClientSettings
) -> Client:
    with write_transaction():
        if Client.select().where(Client.name == name).exists():
            raise ConfigError(f"a client named {name!r} exists already")
        client: Client = Client.create(
            name=name,
            base_url=check_base_url(base_url, "the PlentyONE URL"),
            username=username,
            password=encrypt(password),
            settings=settings.model_dump(mode="json"),
        )
    return client


def update_client(
    client: Client,
    *,
    name: str | None = None,
    base_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    settings: ClientSettings | None = None,
) -> Client:
    if name is not None:
        client.name = name
    if base_url is not None:
        client.base_url = check_base_url(base_url, "the PlentyONE URL")
    if username is not None:
        client.username = username
    if password is not None:
        client.password = encrypt(password)
    if settings is not None:
        client.settings = settings.model_dump(mode="json")
    client.updated_at = utcnow()
    with write_transaction():
        client.save()
    return client


def client_settings(client: Client) -> ClientSettings:
    return ClientSettings.model_validate(client.settings or {})


def client_password(client: Client) -> Secret:
    return decrypt(client.password)


def remove_client(client: Client) -> None:
    used = [p.name for p in Profile.select().where(Profile.client == client)]
    if used:
        raise ConfigError(f"client {client.name!r} is used by profiles: {', '.join(used)}")
    with write_transaction():
        client.delete_instance()


def get_client(ref: str | int) -> Client:
    text = str(ref)
    found = (
        Client.select()
        .where((Client.id == int(text)) if text.isdigit() else (Client.name == text))
        .first()
    )
    if found is None:
        raise ConfigError(f"no client {ref!r} (see 'plentysync client list')")
    return found


@dataclass(frozen=True)
class ClientView:
    """A PlentyONE system as an operator sees it: never its password, only whether it is set."""

    id: int
    name: str
    base_url: str
    username: str
    password_set: bool
    plan: str | None
    budget: dict[str, int]
    budget_share: float
    identity_field: str
    blackout_windows: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["password"] = "(set, encrypted)" if shown.pop("password_set") else "(not set)"
        return shown


def client_view(client: Client) -> ClientView:
    """What ``client list`` and ``client show`` show of one client."""
    settings = client_settings(client)
    budget = settings.budget()
    return ClientView(
        id=client.id,
        name=client.name,
        base_url=client.base_url,
        username=client.username,
        password_set=bool(client.password),
        plan=settings.plan,
        budget={
            "read_per_minute": budget.reads_per_minute,
            "write_per_minute": budget.writes_per_minute,
            "read_per_day": budget.reads_per_day,
            "write_per_day": budget.writes_per_day,
        },
        budget_share=settings.budget_share,
        identity_field=settings.identity_field,
        blackout_windows=[w.model_dump() for w in settings.blackout_windows],
    )


def client_views() -> list[ClientView]:
    """Every PlentyONE system, by id."""
    return [client_view(c) for c in Client.select().order_by(Client.id)]
