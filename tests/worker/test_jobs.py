"""The actors' work as plain functions: a queue drain respects the client's blackout window."""

from __future__ import annotations

import datetime as dt

from dramatiq.brokers.stub import StubBroker

from core.clients import BlackoutWindow, client_settings, update_client
from core.db.models import Client, Run
from core.export import queue
from tests.worker.offline import offline_profile
from worker.broker import LIVE
from worker.courier import Courier
from worker.jobs import drain_queue


def _around_now() -> BlackoutWindow:
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)
    return BlackoutWindow(start=f"{start:%H:%M}", end=f"{end:%H:%M}", timezone="UTC")


def _blackouts(client: Client, windows: list[BlackoutWindow]) -> None:
    settings = client_settings(client).model_copy(update={"blackout_windows": windows})
    update_client(client, settings=settings)


def test_no_queue_drain_starts_inside_a_blackout_window(sqlite_db: str) -> None:
    profile = offline_profile()
    queue.enqueue(profile.id, ["1", "2"])
    broker = StubBroker()
    _blackouts(profile.client, [_around_now()])
    assert drain_queue(profile.id, Courier(broker)) is None
    assert not Run.select().exists()
    assert queue.stats(profile.id).due == 2  # still waiting for the first firing after it

    _blackouts(profile.client, [])
    run = drain_queue(profile.id, Courier(broker))
    assert run is not None and run.trigger == "queue"
    assert broker.queues[LIVE].qsize() == 1  # its enumeration is on its way to the workers
