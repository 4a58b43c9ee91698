"""``plentysync serve``: one process, no Redis, SQLite: schedules fire, the queue drains."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from core.clients import ClientSettings
from core.db.connection import database, write_transaction
from core.db.models import CustomerLink, Profile, QueueItem, Run, Schedule
from core.errors import ConfigError
from core.export import queue
from core.export.connections import open_magento
from core.schedules import create_schedule
from core.settings import reset_settings
from sandbox.plenty import RateLimits
from tests.worker.conftest import Sandboxes, make_profile, wait_for
from worker.deployment import Deployment, choose_deployment
from worker.settings import reset_worker_settings

# About 25 writes a second, so a drain of 60 customers is still running when the test edits.
SLOW = RateLimits(
    short_read=200, short_write=125, long_read=10**7, long_write=10**7, short_period_s=5
)
BUDGET = ClientSettings(plan=None, read_per_minute=200, write_per_minute=125, budget_share=0.8)


@pytest.fixture
def single_host(sqlite_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "PLENTYSYNC_WORKER_TICK_S": "0.2",
        "PLENTYSYNC_WORKER_LOCK_TTL_S": "2",
        "PLENTYSYNC_WORKER_PLENTY_WINDOW_S": "5",
        "PLENTYSYNC_WORKER_THREADS": "2",
        "PLENTYSYNC_WORKER_PARK_DELAY_S": "1",
    }.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    reset_worker_settings()


@contextmanager
def serving() -> Iterator[Deployment]:
    from worker.serve import serve

    deployment = choose_deployment()
    stop = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            serve(stop, deployment=deployment)
        except BaseException as exc:
            failure.append(exc)
        finally:
            database.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield deployment
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not failure, failure


def _fire_soon(profile: Profile) -> None:
    """Give the profile an every-minute schedule whose last due time has already passed."""
    schedule = create_schedule(name="every-minute", cron="* * * * *")
    settings = dict(profile.settings)
    settings["schedule"] = {**settings["schedule"], "status": True, "schedule_id": schedule.id}
    past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=5)
    with write_transaction():
        Profile.update(settings=settings, created_at=past).where(Profile.id == profile.id).execute()
        Schedule.update(updated_at=past).execute()


def _queue_runs_done() -> bool:
    runs = list(Run.select().where(Run.trigger == "queue"))
    return bool(runs) and all(r.status == "done" for r in runs)


def test_a_firing_watches_queues_and_drains(
    single_host: None, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=40)
    profile = make_profile(boxes)
    _fire_soon(profile)
    with serving():
        wait_for(lambda: _queue_runs_done() and not QueueItem.select().count(), 60, "the drain")
        with pytest.raises(ConfigError, match="another 'plentysync serve'"):
            from worker.serve import serve

            serve(threading.Event())
    linked = CustomerLink.select().where(CustomerLink.state == "linked").count()
    assert linked == boxes.stats()["contacts"] > 30
    run = Run.get(Run.trigger == "queue")
    assert run.total == 40 and run.created == linked


@pytest.mark.slow  # waits out a drain paced by the budget
def test_a_customer_edited_during_the_drain_is_exported_again(
    single_host: None, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=60, limits=SLOW)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 5}})
    clean = [i for i in range(1, 61) if not _dirty(boxes, i)]
    target = clean[-1]
    queue.enqueue(profile.id, [str(i) for i in range(1, 61)])
    with serving() as deployment:
        deployment.courier().drain(profile.id)
        wait_for(
            lambda: (
                QueueItem.get_or_none(QueueItem.entity_key == str(target)) is not None
                and QueueItem.get(QueueItem.entity_key == str(target)).status == "processing"
            ),
            30,
            "the drain to lease the customer",
        )
        boxes.mutate(ids=[target], kinds=["name"])
        queue.enqueue(profile.id, [str(target)])  # what the watch does on the next firing
        assert QueueItem.get(QueueItem.entity_key == str(target)).status == "changed"
        wait_for(
            lambda: _queue_runs_done() and not QueueItem.select().count(),
            90,
            "the drains to empty the queue",
        )
    assert Run.select().where(Run.trigger == "queue").count() >= 2
    with open_magento(profile.source) as magento:
        record = magento.customers.get(target)
    link = CustomerLink.get(CustomerLink.entity_key == str(target))
    contact = next(c for c in boxes.contacts() if c["id"] == link.contact_id)
    assert contact["lastName"] == (record.lastname or "").strip()
    assert contact["firstName"].startswith((record.firstname or "").strip())


def _dirty(boxes: Sandboxes, customer_id: int) -> bool:
    from sandbox.data import Dataset, DatasetConfig

    return bool(Dataset(DatasetConfig(customers=60, seed=5, orders=0)).dirty(customer_id))


def test_the_serve_lock_file_is_private(plentysync_home: object) -> None:
    import os
    import stat

    from core.settings import get_settings
    from worker.serve import lock_path, serve_lock

    home = get_settings().home
    before = os.umask(0o022)
    lock = serve_lock(home)
    try:
        os.makedirs(os.path.dirname(lock_path(home)), exist_ok=True)
        lock.acquire(timeout=0)
        assert stat.S_IMODE(os.stat(lock_path(home)).st_mode) == 0o600
    finally:
        lock.release()
        os.umask(before)
