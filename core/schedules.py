"""Cron schedules that profiles run on, each in an explicit time zone."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from core.db.connection import write_transaction
from core.db.models import Profile, Schedule, utcnow
from core.errors import ConfigError


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    """The trigger for a five-field cron expression; a clear error when it is not one."""
    try:
        return CronTrigger.from_crontab(cron, timezone=timezone)
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"cron {cron!r} in {timezone!r}: {exc}") from exc


def create_schedule(*, name: str, cron: str, timezone: str = "UTC") -> Schedule:
    cron_trigger(cron, timezone)
    with write_transaction():
        if Schedule.select().where(Schedule.name == name).exists():
            raise ConfigError(f"a schedule named {name!r} exists already")
        schedule: Schedule = Schedule.create(name=name, cron=cron, timezone=timezone)
    return schedule


def update_schedule(schedule: Schedule, *, cron: str | None, timezone: str | None) -> Schedule:
    new_cron = cron or schedule.cron
    new_zone = timezone or schedule.timezone
    cron_trigger(new_cron, new_zone)
    schedule.cron, schedule.timezone, schedule.updated_at = new_cron, new_zone, utcnow()
    with write_transaction():
        schedule.save()
    return schedule


def profiles_using(schedule: Schedule) -> list[str]:
    names = []
    for profile in Profile.select():
        section = (profile.settings or {}).get("schedule", {})
        if schedule.id in (section.get("schedule_id"), section.get("reconcile_schedule_id")):
            names.append(profile.name)
    return names


def remove_schedule(schedule: Schedule) -> None:
    used = profiles_using(schedule)
    if used:
        raise ConfigError(f"schedule {schedule.name!r} is used by profiles: {', '.join(used)}")
    with write_transaction():
        schedule.delete_instance(recursive=True)


def get_schedule(ref: str | int) -> Schedule:
    text = str(ref)
    found = (
        Schedule.select()
        .where((Schedule.id == int(text)) if text.isdigit() else (Schedule.name == text))
        .first()
    )
    if found is None:
        raise ConfigError(f"no schedule {ref!r} (see 'plentysync schedule list')")
    return found
