"""Every customer accounted for exactly once: claims survive attempts, results are not repeated."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from core.db.connection import write_transaction
from core.db.models import Profile, Run, RunBatch, RunItem, utcnow
from core.export import runs
from core.export.batch import drafts_for, export_batch
from core.export.connections import Backends
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


def _assert_one_result_each(run: Run) -> None:
    """One result per customer, and the run's counts are those results."""
    items = list(RunItem.select().where(RunItem.run == run.id))
    assert len(items) == len({(i.entity_type, i.entity_key) for i in items}) == run.total
    assert all(i.final for i in items)
    by_action = {a: sum(1 for i in items if i.action == a) for a in ("created", "updated")}
    by_action.update(
        unchanged=sum(1 for i in items if i.action == "unchanged"),
        skipped=sum(1 for i in items if i.action == "skipped"),
        failed=sum(1 for i in items if i.action == "failed"),
    )
    counted = {a: getattr(run, a) for a in by_action}
    assert counted == by_action


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
    ours = [m for m in failed if "gave up" in m or "claim" in m or "another worker" in m]
    assert not ours, failed
    contacts = shop.contacts()
    assert run.created == len(contacts) == len(IDS) - run.failed - run.skipped
    _assert_one_result_each(run)
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


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing in the export catches it."""


class DiesAfter(dict[str, Any]):
    """A batch's plans that kill the worker when it reaches the ``n``-th entity."""

    def __init__(self, plans: dict[str, Any], n: int) -> None:
        super().__init__(plans)
        self.seen, self.n = 0, n

    def __getitem__(self, key: str) -> Any:
        self.seen += 1
        if self.seen > self.n:
            raise WorkerKilled(key)
        return super().__getitem__(key)


def _lease_again(batch_id: int, dead_owner: str) -> RunBatch:
    """The sweeper's view after the worker died: its lease ran out, another worker leases."""
    with write_transaction():
        RunBatch.update(lease_expires_at=utcnow() - dt.timedelta(seconds=1)).where(
            (RunBatch.id == batch_id) & (RunBatch.lease_owner == dead_owner)
        ).execute()
    return runs.lease_batch(batch_id, worker_name())  # type: ignore[return-value]


def _prepared(profile: Profile, **options: Any) -> tuple[Run, RunBatch]:
    run = start_export(profile, RunOptions(**options))
    runs.start_run(run.id)
    deps = open_deps(run, **FAST)
    try:
        prepare(deps, run)
    finally:
        close_deps(deps)
    batch = RunBatch.get(RunBatch.run == run.id)
    return run, batch


def _work(run: Run, batch: RunBatch, planner: Any = drafts_for, **kw: Any) -> None:
    deps = open_deps(Run.get_by_id(run.id), owner=batch.lease_owner, **FAST, **kw)
    try:
        export_batch(deps, batch, planner)
    finally:
        close_deps(deps)


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_a_batch_leased_twice_records_each_customer_once(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    run, batch = _prepared(make_profile(), entity_ids=list(range(1, 21)), guests=False)
    first = runs.lease_batch(batch.id, worker_name())
    assert first is not None
    with pytest.raises(WorkerKilled):
        _work(run, first, lambda deps, keys: DiesAfter(drafts_for(deps, keys), 12))
    second = _lease_again(batch.id, first.lease_owner)
    _work(run, second)
    # The second worker dies too, after its last result and before the batch was settled.
    with write_transaction():
        RunBatch.update(status="leased", lease_owner=second.lease_owner).where(
            RunBatch.id == batch.id
        ).execute()
    magento_calls = httpx.get(f"{shop.magento.base_url}/_sandbox/stats").json()["total"]
    _work(run, _lease_again(batch.id, second.lease_owner))
    assert httpx.get(f"{shop.magento.base_url}/_sandbox/stats").json()["total"] == magento_calls
    assert runs.finish_run_if_done(run.id) == "done"
    done = Run.get_by_id(run.id)
    _assert_one_result_each(done)
    assert done.created == len(shop.contacts()) == 20 - done.failed - done.skipped


def test_a_create_whose_worker_died_before_linking_is_reported_created(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    run, batch = _prepared(make_profile(), entity_ids=list(range(1, 21)), guests=False)
    creates: list[str] = []

    def die_on_third_create(record: Any) -> None:
        if record.method == "POST" and record.route.endswith("/accounts/contacts"):
            creates.append(record.route)
            if len(creates) == 3:
                raise WorkerKilled("after the create landed, before its link was stored")

    first = runs.lease_batch(batch.id, worker_name())
    assert first is not None
    with pytest.raises(WorkerKilled):
        _work(run, first, backends=Backends(hooks=(die_on_third_create,)))
    _work(run, _lease_again(batch.id, first.lease_owner))
    runs.finish_run_if_done(run.id)
    done = Run.get_by_id(run.id)
    _assert_one_result_each(done)
    assert done.created == len(shop.contacts()) == 20 - done.failed - done.skipped
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0


def test_a_profile_without_history_keeps_no_results_after_the_run(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile({"schedule": {"enable_history": False}})
    run = export(profile, entity_ids=list(range(1, 11)), guests=False)
    assert run.status == "done" and run.created == len(shop.contacts()) > 0
    assert not RunItem.select().where(RunItem.run == run.id).exists()
