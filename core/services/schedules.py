"""Cron schedules as a front end manages them: each with its next due time and its profiles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from core import schedules
from core.db.models import Schedule
from core.errors import FieldError, FieldErrors

Ref = str | int


@dataclass(frozen=True)
class ScheduleView:
    """One schedule: its cron in its time zone, when it fires next, who runs on it."""

    id: int
    name: str
    cron: str
    timezone: str
    next_due: dt.datetime | None
    profiles: tuple[str, ...]


def _view(schedule: Schedule, now: dt.datetime | None = None) -> ScheduleView:
    moment = now or dt.datetime.now(dt.UTC)
    trigger = schedules.cron_trigger(schedule.cron, schedule.timezone)
    return ScheduleView(
        id=schedule.id,
        name=schedule.name,
        cron=schedule.cron,
        timezone=schedule.timezone,
        next_due=trigger.get_next_fire_time(None, moment),
        profiles=tuple(schedules.profiles_using(schedule)),
    )


def list_schedules(now: dt.datetime | None = None) -> list[ScheduleView]:
    """Every schedule, by id, with its next due time after ``now``."""
    return [_view(s, now) for s in Schedule.select().order_by(Schedule.id)]


def show_schedule(ref: Ref) -> ScheduleView:
    """One schedule by id or name."""
    return _view(schedules.get_schedule(ref))


def create_schedule(*, name: str, cron: str, timezone: str = "UTC") -> ScheduleView:
    """Add a schedule; a cron or a zone that does not parse is a ``ConfigError``."""
    return _view(schedules.create_schedule(name=name, cron=cron, timezone=timezone))


def edit_schedule(
    ref: Ref, *, cron: str | None = None, timezone: str | None = None
) -> ScheduleView:
    """Change a schedule's cron or time zone (None leaves it)."""
    schedule = schedules.get_schedule(ref)
    return _view(schedules.update_schedule(schedule, cron=cron, timezone=timezone))


def remove_schedule(ref: Ref) -> ScheduleView:
    """Remove a schedule no profile uses; what it was."""
    schedule = schedules.get_schedule(ref)
    gone = _view(schedule)
    schedules.remove_schedule(schedule)
    return gone


def next_fire_times(
    cron: str, timezone: str = "UTC", count: int = 5, now: dt.datetime | None = None
) -> tuple[dt.datetime, ...]:
    """The next ``count`` times ``cron`` fires after ``now``, in the schedule's zone.

    A form calls this as the operator types: a zone or an expression that does not parse is
    a ``FieldErrors`` on ``timezone`` or ``cron``, with what is wrong.
    """
    problems = []
    zone = None
    try:
        zone = ZoneInfo(timezone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            FieldError("timezone", f"unknown time zone {timezone!r}: e.g. Europe/Berlin")
        )
    trigger = None
    try:
        trigger = CronTrigger.from_crontab(cron.strip(), timezone=zone or dt.UTC)
    except (ValueError, KeyError) as exc:
        problems.append(FieldError("cron", f"{exc}; five fields: minute hour day month weekday"))
    if problems or trigger is None:
        raise FieldErrors(problems)
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # naive means UTC, as the database keeps time
    times: list[dt.datetime] = []
    previous = None
    while len(times) < count:
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        times.append(fire)
        previous = moment = fire
    return tuple(times)
