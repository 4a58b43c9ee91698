"""A job that Magento rate-limits gives its work back with the wait, without a Dramatiq retry."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from dramatiq.brokers.stub import StubBroker

from core.db.models import Run
from core.export.runs import RunOptions
from core.export.service import start_export
from tests.worker.conftest import Sandboxes, make_profile
from worker.broker import BULK
from worker.courier import Courier
from worker.jobs import enumerate_run


def test_an_enumeration_the_shop_rate_limits_is_sent_again_after_its_wait(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=10)
    profile = make_profile(boxes)
    faults = {"throttle_rate": 1.0, "throttle_status": 429, "retry_after_seconds": 600}
    httpx.post(
        f"{boxes.magento.base_url}/_sandbox/config", json={"faults": faults}
    ).raise_for_status()
    run = start_export(profile, RunOptions(guests=False))
    broker = StubBroker()

    enumerate_run(run.id, Courier(broker))  # raises nothing: no Dramatiq retry is asked for

    again = Run.get_by_id(run.id)
    assert again.status == "running" and not again.enumerated and again.error == ""
    assert broker.queues[BULK].qsize() == 0
    (message,) = [json.loads(broker.queues[f"{BULK}.DQ"].get_nowait())]
    assert message["actor_name"] == "enumerate_run" and message["args"] == [run.id]
    wait_s = message["options"]["eta"] / 1000 - time.time()
    assert 590 < wait_s <= 600
