"""The scheduler: fires each profile's schedules once per due time, and runs the sweeper.

Schedules are cron expressions with explicit time zones (APScheduler 3 ``CronTrigger``),
read from the database on every tick, so an edited schedule or profile takes effect without
a restart. Only the leader fires (a Redis lock renewed each tick; a standby takes over when
the leader dies). A firing is a unique ``ScheduleFiring`` row, so one due time fires once
even if two schedulers raced. Missed due times coalesce into the latest one. A paused
profile or a blackout window of its client skips the firing (it is recorded as handled); a
profile with an open run is not started twice, and its queue keeps what the watch found.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import peewee as pw
from apscheduler.triggers.cron import CronTrigger

from core.clients import client_settings
from core.db.connection import write_transaction
from core.db.models import Profile, Schedule, ScheduleFiring, utcnow
from core.errors import ConfigError
from core.profiles.service import profile_settings
from core.schedules import cron_trigger
from core.states import FiringKind
from worker.courier import Courier
from worker.leader import Leadership
from worker.settings import WorkerSettings
from worker.sweeper import sweep

log = logging.getLogger(__name__)

# Missed due times further back than this are not looked for (they would coalesce anyway).
LOOKBACK = dt.timedelta(days=35)


@dataclass(frozen=True)
class Due:
    """A profile's schedule that was due at ``scheduled_for`` (naive UTC)."""

    schedule_id: int
    profile_id: int
    kind: FiringKind
    scheduled_for: dt.datetime


@dataclass(frozen=True)
class Fired:
    """What the scheduler did with one due time."""

    due: Due
    firing_id: int
    action: str  # sent | paused | blackout


@lru_cache(maxsize=256)
def _trigger(cron: str, timezone: str) -> CronTrigger:
    return cron_trigger(cron, timezone)


def latest_due(trigger: CronTrigger, after: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """The last fire time in (``after``, ``now``] (aware datetimes), or None."""
    latest = None
    moment = trigger.get_next_fire_time(None, after + dt.timedelta(microseconds=1))
    while moment is not None and moment <= now:
        latest = moment
        moment = trigger.get_next_fire_time(moment, moment + dt.timedelta(seconds=1))
    return latest


def due_now(now: dt.datetime) -> list[Due]:
    """Every profile schedule with a due time not fired yet (``now`` aware)."""
    schedules = {s.id: s for s in Schedule.select()}
    found: list[Due] = []
    for profile in Profile.select():
        try:
            section = profile_settings(profile).schedule
        except ConfigError as exc:
            log.warning("profile %s: settings unreadable, not scheduled: %s", profile.name, exc)
            continue
        if not section.status:
            continue
        firings: tuple[tuple[FiringKind, int | None], ...] = (
            ("watch", section.schedule_id),
            ("reconcile", section.reconcile_schedule_id),
        )
        for kind, schedule_id in firings:
            schedule = schedules.get(schedule_id) if schedule_id else None
            if schedule is None:
                continue
            due = _due_of(profile, schedule, kind, now)
            if due is not None:
                found.append(due)
    return found


def _due_of(profile: Profile, schedule: Schedule, kind: FiringKind, now: dt.datetime) -> Due | None:
    last_fired = (
        ScheduleFiring.select(pw.fn.MAX(ScheduleFiring.scheduled_for))
        .where(
            (ScheduleFiring.schedule == schedule.id)
            & (ScheduleFiring.profile == profile.id)
            & (ScheduleFiring.kind == kind)
        )
        .scalar()
    )
    # Due times before the schedule was last edited or the profile existed do not count.
    floor = max(profile.created_at, schedule.updated_at, utcnow() - LOOKBACK)
    if last_fired is not None:
        floor = max(floor, last_fired)
    try:
        trigger = _trigger(schedule.cron, schedule.timezone)
    except ConfigError as exc:
        log.warning("schedule %s: %s", schedule.name, exc)
        return None
    latest = latest_due(trigger, floor.replace(tzinfo=dt.UTC), now)
    if latest is None:
        return None
    moment = latest.astimezone(dt.UTC).replace(tzinfo=None)
    return Due(schedule.id, profile.id, kind, moment)


def fire(due: Due, courier: Courier, now: dt.datetime) -> Fired | None:
    """Record the firing (once, whoever races) and send its work unless it is skipped."""
    try:
        with write_transaction():
            firing = ScheduleFiring.create(
                schedule=due.schedule_id,
                profile=due.profile_id,
                kind=due.kind,
                scheduled_for=due.scheduled_for,
                fired_at=utcnow(),
            )
    except pw.IntegrityError:
        return None
    profile = Profile.get_by_id(due.profile_id)
    if profile.paused:
        action = "paused"
    elif client_settings(profile.client).in_blackout(now):
        action = "blackout"
    elif due.kind == "reconcile":
        courier.reconcile(profile.id)
        action = "sent"
    else:
        courier.watch(profile.id, firing.id)
        action = "sent"
    log.info(
        "schedule %s of profile %s due %s UTC: %s",
        due.kind,
        profile.name,
        due.scheduled_for,
        {"sent": "fired", "paused": "skipped (paused)", "blackout": "skipped (blackout)"}[action],
    )
    return Fired(due, firing.id, action)


class Scheduler:
    """One scheduler process: fires due schedules while it leads, sweeps, and repeats.

    ``watch`` runs after each sweep: the deployment passes its watchdog check.
    """

    def __init__(
        self,
        courier: Courier,
        leadership: Leadership,
        settings: WorkerSettings,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        watch: Callable[[], object] | None = None,
    ) -> None:
        if settings.tick_s * 2 > settings.lock_ttl_s:
            raise ConfigError("the scheduler tick must be at most half the leader lock's TTL")
        self.courier = courier
        self.leadership = leadership
        self.settings = settings
        self.clock = clock
        self.watch = watch
        self._last_sweep = 0.0
        self.leading = False

    def tick(self) -> list[Fired]:
        """Fire what is due if this scheduler leads; returns what it fired."""
        self.leading = self.leadership.acquire()
        if not self.leading:
            return []
        now = self.clock()
        fired = []
        for due in due_now(now):
            done = fire(due, self.courier, now)
            if done is not None:
                fired.append(done)
        return fired

    def sweep_if_due(self) -> None:
        if time.monotonic() - self._last_sweep < self.settings.sweep_interval_s:
            return
        self._last_sweep = time.monotonic()
        sweep(
            self.courier,
            grace=dt.timedelta(seconds=self.settings.lease_s),
            stale_after=dt.timedelta(seconds=self.settings.stale_after_s),
        )
        if self.watch is not None:
            self.watch()  # retention, health check and alert mails (``worker.watchdog``)

    def run(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set; errors are logged and the next tick tries again."""
        try:
            while not stop.is_set():
                try:
                    self.tick()
                    if self.leading:
                        self.sweep_if_due()
                except Exception:
                    log.exception("scheduler tick failed; trying again")
                stop.wait(self.settings.tick_s)
        finally:
            self.leadership.release()
