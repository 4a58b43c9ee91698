"""The scheduler: one firing per due time, edits picked up, pauses and blackouts honoured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import redis
from dramatiq.brokers.stub import StubBroker

from core.clients import BlackoutWindow, client_settings, update_client
from core.db.connection import write_transaction
from core.db.models import Profile, Schedule, ScheduleFiring, utcnow
from core.schedules import update_schedule
from tests.worker.offline import offline_profile
from worker.broker import LIVE
from worker.courier import Courier
from worker.leader import RedisLeadership, SoleLeadership
from worker.scheduler import Scheduler
from worker.settings import WorkerSettings

SETTINGS = WorkerSettings(tick_s=1, lock_ttl_s=5)


class Clock:
    """The scheduler's idea of now, moved by the test."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _sent(broker: StubBroker) -> list[str]:
    queued = broker.queues.get(LIVE)
    messages = []
    while queued is not None and not queued.empty():
        messages.append(queued.get_nowait())
    return [m.decode() for m in messages]


def _backdate(profile: Profile, minutes: int) -> None:
    """Make the profile and its schedule older, so earlier due times count."""
    past = utcnow() - dt.timedelta(minutes=minutes)
    with write_transaction():
        Profile.update(created_at=past).where(Profile.id == profile.id).execute()
        Schedule.update(updated_at=past).execute()


def _start() -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    return now.replace(second=30, microsecond=0)


def test_two_schedulers_fire_each_due_time_once(
    sqlite_db: str, redis_client: redis.Redis, redis_namespace: str
) -> None:
    profile = offline_profile(cron="* * * * *")
    _backdate(profile, 10)
    broker = StubBroker()
    clock = Clock(_start())
    key = f"{redis_namespace}:scheduler-leader"
    first = Scheduler(
        Courier(broker), RedisLeadership(redis_client, key, "a", ttl=5), SETTINGS, clock
    )
    second = Scheduler(
        Courier(broker), RedisLeadership(redis_client, key, "b", ttl=5), SETTINGS, clock
    )
    assert len(first.tick()) == 1 and first.leading
    assert second.tick() == [] and not second.leading
    assert first.tick() == []  # the same due time again: nothing

    # Even schedulers that both believe they lead fire a due time once.
    clock.now += dt.timedelta(minutes=1)
    racing = [Scheduler(Courier(broker), SoleLeadership(), SETTINGS, clock) for _ in range(2)]
    assert sum(len(s.tick()) for s in racing) == 1
    assert ScheduleFiring.select().count() == 2
    assert len([m for m in _sent(broker) if "watch_source" in m]) == 2


def test_missed_due_times_coalesce_and_edits_apply_without_restart(sqlite_db: str) -> None:
    profile = offline_profile(cron="*/5 * * * *")
    _backdate(profile, 180)
    broker = StubBroker()
    clock = Clock(_start())
    scheduler = Scheduler(Courier(broker), SoleLeadership(), SETTINGS, clock)
    fired = scheduler.tick()
    assert len(fired) == 1  # three hours of missed due times: one firing
    assert fired[0].due.scheduled_for.minute % 5 == 0

    schedule = Schedule.get()
    update_schedule(schedule, cron="* * * * *", timezone="Europe/Berlin")
    clock.now += dt.timedelta(minutes=1)
    again = scheduler.tick()
    assert len(again) == 1  # the edited schedule, read on the next tick
    due = again[0].due.scheduled_for
    assert due == clock.now.replace(second=0, tzinfo=None)


def test_paused_profiles_and_blackouts_skip(sqlite_db: str) -> None:
    profile = offline_profile(cron="* * * * *")
    _backdate(profile, 10)
    broker = StubBroker()
    clock = Clock(_start())
    scheduler = Scheduler(Courier(broker), SoleLeadership(), SETTINGS, clock)
    with write_transaction():
        Profile.update(paused=True).where(Profile.id == profile.id).execute()
    assert [f.action for f in scheduler.tick()] == ["paused"]

    with write_transaction():
        Profile.update(paused=False).where(Profile.id == profile.id).execute()
    local = clock.now + dt.timedelta(minutes=1)
    window = BlackoutWindow(
        start=f"{local:%H}:00", end=f"{(local + dt.timedelta(hours=1)):%H}:00", timezone="UTC"
    )
    client = profile.client
    update_client(
        client, settings=client_settings(client).model_copy(update={"blackout_windows": [window]})
    )
    clock.now = local
    assert [f.action for f in scheduler.tick()] == ["blackout"]
    assert _sent(broker) == []

    clock.now += dt.timedelta(hours=1, minutes=1)
    assert [f.action for f in scheduler.tick()] == ["sent"]
    assert len(_sent(broker)) == 1


def test_the_scheduler_carries_on_after_its_database_connection_died(
    shared_db: str, kill_connection: Callable[[], int]
) -> None:
    profile = offline_profile(cron="* * * * *")
    _backdate(profile, 10)
    broker = StubBroker()
    clock = Clock(_start())
    scheduler = Scheduler(Courier(broker), SoleLeadership(), SETTINGS, clock)
    assert len(scheduler.tick()) == 1
    kill_connection()  # what a PostgreSQL restart does to every open connection
    for _ in range(3):  # every later tick too, not only the first after the restart
        clock.now += dt.timedelta(minutes=1)
        assert [f.action for f in scheduler.tick()] == ["sent"]
    assert ScheduleFiring.select().count() == 4
