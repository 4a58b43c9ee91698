"""Every customer accounted for exactly once: claims survive attempts, results are not repeated."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from core.db.models import Profile, Run, RunItem
from core.export import runs
from core.export.batch import export_batch
from core.export.inline import prepare
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export, worker_name
from tests.core.export.conftest import FAST, Shop, export

IDS = list(range(1, 61))
# 10 % of the writes answered with 500 before anything is stored (not applied).
NOT_APPLIED_5XX = {"faults": {"seed": 11, "error_rate": 0.1, "error_statuses": [500]}}


def export_as_workers(profile: Profile, park_seconds: float = 0.3, **options: Any) -> Run:
    """Work a run the way the worker processes do: every lease of a batch under a new owner.

    The claim TTL stays at its default, so it is far longer than all attempts together, as
    with the production defaults (5 attempts x 90 s park < 600 s).
    """
    run = start_export(profile, RunOptions(**options))
    runs.start_run(run.id)
    first = open_deps(run, **FAST)
    try:
        prepare(first, run)
    finally:
        close_deps(first)
    while True:
        batch_id, due_at = runs.next_due_batch(run.id)
        if batch_id is None:
            if due_at is None:
                break
            time.sleep(0.05)
            continue
        deps = open_deps(Run.get_by_id(run.id), owner=worker_name(), **FAST)
        deps.park_delay = dt.timedelta(seconds=park_seconds)
        try:
            batch = runs.lease_batch(batch_id, deps.owner)
            if batch is None:
                continue
            if batch.attempts > deps.max_batch_attempts:
                runs.settle_batch(batch_id, deps.owner, "failed", "gave up")
                continue
            export_batch(deps, batch)
        finally:
            close_deps(deps)
    runs.finish_run_if_done(run.id)
    return Run.get_by_id(run.id)


def _messages(run: Run, action: str) -> list[str]:
    return [
        i.message
        for i in RunItem.select().where((RunItem.run == run.id) & (RunItem.action == action))
    ]


def test_creates_refused_with_5xx_end_created_on_a_later_attempt(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    shop.plenty_config(NOT_APPLIED_5XX)
    run = export_as_workers(profile, entity_ids=IDS, guests=False)
    assert shop.stats()["calls"]["by_status"].get("500", 0) > 5, "no 5xx was injected"
    failed = _messages(run, "failed")
    assert not [m for m in failed if "gave up" in m or "claim" in m], failed
    assert len(shop.contacts()) == len(IDS) - run.failed - run.skipped
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0


def test_a_create_refused_with_422_does_not_park_the_next_export(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    # PlentyONE no longer knows the class that group 2 maps to: those creates get a 422.
    shop.plenty_config({"reference": {"contact_classes": {"1": "Endkunde", "3": "Großhandel"}}})
    refused = export(profile, park_seconds=0.3, entity_ids=IDS, guests=False)
    reasons = [m for m in _messages(refused, "failed") if "classId" in m]
    assert len(reasons) >= 3, _messages(refused, "failed")

    shop.plenty_config({"reference": {"contact_classes": {"1": "E", "2": "H", "3": "G"}}})
    started = time.monotonic()
    again = export(profile, park_seconds=5.0, entity_ids=IDS, guests=False)
    assert time.monotonic() - started < 5.0, "a refused create left a claim that parked"
    assert again.created == len(reasons)
    assert not [m for m in _messages(again, "failed") if "claim" in m or "gave up" in m]
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0
