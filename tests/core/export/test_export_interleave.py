"""New registrations during a bulk export reach PlentyONE before the next bulk batch."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from dramatiq.brokers.stub import StubBroker

from core.db.models import Profile, QueueItem, Run, RunBatch, RunItem
from core.export import interleave, queue, runs
from core.export.inline import execute_inline
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from tests.core.export.conftest import CUSTOMERS, FAST, Shop
from worker.broker import BULK, LIVE
from worker.courier import Courier
from worker.jobs import drain_queue

SMALL_BATCHES = {"schedule": {"process_batch_size": 4}}


def _first_item(run_id: int, key: str) -> int:
    return int(
        RunItem.select(RunItem.id)
        .where((RunItem.run == run_id) & (RunItem.entity_key == key))
        .scalar()
    )


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_a_customer_queued_mid_export_goes_before_the_next_bulk_batch(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(SMALL_BATCHES)
    run = start_export(profile, RunOptions(guests=False))
    deps = open_deps(run, **FAST)
    worked: list[list[str]] = []
    last = str(CUSTOMERS)  # the id order reaches it in the very last batch

    def after_batch(_: Run) -> None:
        done = RunBatch.select().where((RunBatch.run == run.id) & (RunBatch.status == "done"))
        worked.append(sorted(b.sequence for b in done))
        if len(worked) == 2:
            # A new registration, and an edit of a customer this run exported already.
            queue.enqueue(profile.id, [last, "5"])
        if len(worked) == 4:
            runs.cancel_run(run.id)  # the rest of the bulk run shows nothing more

    try:
        finished = execute_inline(deps, run.id, progress=after_batch)
    finally:
        close_deps(deps)
    assert finished.status == "cancelled"
    # The step right after the enqueue worked the front batch, no bulk batch in between.
    assert worked[2] == [-1, *worked[1]]
    front = RunBatch.get((RunBatch.run == run.id) & (RunBatch.sequence == -1))
    assert front.entity_keys == [last]
    # The third bulk batch (customers 9-12) came after it.
    third_bulk = RunBatch.get((RunBatch.run == run.id) & (RunBatch.sequence == 2))
    assert _first_item(run.id, last) < min(_first_item(run.id, k) for k in ["9", "12"])
    assert third_bulk.status == "done"
    assert RunItem.get((RunItem.run == run.id) & (RunItem.entity_key == last)).final
    assert not QueueItem.select().where(QueueItem.entity_key == last).exists()
    # The edit of an exported customer waits in the queue for the drain after the run.
    left = QueueItem.get(QueueItem.entity_key == "5")
    assert left.status == "pending"


def test_a_drain_during_a_bulk_run_sends_the_queue_ahead_on_the_live_queue(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(SMALL_BATCHES)
    bulk = start_export(profile, RunOptions(guests=False))
    runs.add_batches(bulk.id, [str(i) for i in range(1, 31)], 4)
    runs.start_run(bulk.id)
    queue.enqueue(profile.id, ["77", "78"])
    broker = StubBroker()
    assert drain_queue(profile.id, Courier(broker)) is None  # no second run beside the bulk
    front = RunBatch.get((RunBatch.run == bulk.id) & (RunBatch.sequence < 0))
    assert front.entity_keys == ["77", "78"]
    assert broker.queues[LIVE].qsize() == 1
    assert BULK not in broker.queues or broker.queues[BULK].qsize() == 0
    assert {i.status for i in QueueItem.select()} == {"processing"}
    assert Run.get_by_id(bulk.id).total == 32


def test_a_run_for_some_ids_leaves_the_queue_to_its_drain(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(SMALL_BATCHES)
    run = start_export(profile, RunOptions(entity_ids=[1, 2, 3]))
    queue.enqueue(profile.id, ["50"])
    deps = open_deps(run, **FAST)
    try:
        execute_inline(deps, run.id)
    finally:
        close_deps(deps)
    assert not RunBatch.select().where(RunBatch.sequence < 0).exists()
    assert QueueItem.get(QueueItem.entity_key == "50").status == "pending"


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_two_workers_taking_the_queue_at_once_put_each_item_in_one_batch(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(SMALL_BATCHES)
    bulk = start_export(profile, RunOptions(guests=False))
    runs.add_batches(bulk.id, ["1", "2"], 4)
    runs.start_run(bulk.id)
    queue.enqueue(profile.id, [str(i) for i in range(60, 66)])
    run = Run.get_by_id(bulk.id)
    start = threading.Barrier(4)
    fronts: list[int | None] = []

    def take() -> None:
        start.wait()
        fronts.append(interleave.queue_to_front(run, 4))

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batches = RunBatch.select().where((RunBatch.run == bulk.id) & (RunBatch.sequence < 0))
    keys = [k for b in batches for k in b.entity_keys]
    assert sorted(keys, key=int) == [str(i) for i in range(60, 66)]
    assert len([f for f in fronts if f is not None]) == 2  # 4 + 2, whoever came first
