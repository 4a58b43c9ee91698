"""Cron schedules as a front end manages them: each with its next due time and its profiles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import schedules
from core.db.models import Schedule

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
