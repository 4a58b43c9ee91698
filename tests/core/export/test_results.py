"""A run's results: one per entity, merged with what a write recorded, counted in step."""

from __future__ import annotations

import threading

import pytest

from core.db.connection import database
from core.db.models import Run, RunItem
from core.export import results, runs
from tests.worker.offline import offline_profile


@pytest.fixture
def run_id(db: str) -> int:
    return int(runs.create_run(offline_profile(), "manual", runs.RunOptions()).id)


def _counts(run_id: int) -> dict[str, int]:
    run = Run.get_by_id(run_id)
    names = ("created", "updated", "unchanged", "skipped", "failed", "conflicts")
    return {name: getattr(run, name) for name in names if getattr(run, name)}


def test_a_final_result_is_kept_once_however_often_it_is_recorded(run_id: int) -> None:
    assert results.record_result(run_id, ("customer", "7"), "failed", message="bad VAT") == "failed"
    again = results.record_result(run_id, ("customer", "7"), "unchanged", reads=2, writes=0)
    assert again == "failed"
    item = RunItem.get((RunItem.run == run_id) & (RunItem.entity_key == "7"))
    assert (item.action, item.message, item.final) == ("failed", "bad VAT", True)
    assert _counts(run_id) == {"failed": 1}
    assert Run.get_by_id(run_id).api_reads == 2


def test_a_write_recorded_before_the_outcome_decides_the_action(run_id: int) -> None:
    results.note_write(run_id, ("customer", "1"), "created")
    results.note_write(run_id, ("customer", "1"), "updated")  # its addresses, same attempt
    results.note_write(run_id, ("customer", "2"), "updated")
    assert _counts(run_id) == {"created": 1, "updated": 1}
    assert results.final_entities(run_id, [("customer", "1"), ("customer", "2")]) == set()
    # The next attempt finds nothing left to send, or fails on a later part.
    assert results.record_result(run_id, ("customer", "1"), "unchanged") == "created"
    assert results.record_result(run_id, ("customer", "2"), "failed", message="x") == "failed"
    assert _counts(run_id) == {"created": 1, "failed": 1}
    assert results.final_entities(run_id, [("customer", "1"), ("guest", "1")]) == {
        ("customer", "1")
    }


def test_a_profile_without_history_keeps_counts_not_items(run_id: int) -> None:
    results.record_result(run_id, ("customer", "1"), "created")
    results.drop_results(run_id)
    assert not RunItem.select().where(RunItem.run == run_id).exists()
    assert _counts(run_id) == {"created": 1}


def test_workers_recording_the_same_entity_at_once_count_it_once(run_id: int) -> None:
    barrier = threading.Barrier(6)
    kept: list[str] = []

    def record(action: results.Action) -> None:
        try:
            barrier.wait()
            kept.append(results.record_result(run_id, ("customer", "9"), action))
        finally:
            database.close()

    threads = [
        threading.Thread(target=record, args=(a,))
        for a in ("created", "unchanged", "failed", "created", "updated", "skipped")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(kept) == 6 and len(set(kept)) == 1
    assert RunItem.select().where(RunItem.run == run_id).count() == 1
    assert sum(_counts(run_id).values()) == 1


def test_results_without_a_write_are_recorded_together_with_the_same_rules(run_id: int) -> None:
    results.record_result(run_id, ("customer", "1"), "failed", message="bad VAT")  # final
    results.note_write(run_id, ("customer", "2"), "updated")  # an earlier attempt's write
    quiet = [
        results.QuietResult(("customer", "1"), "unchanged", reads=1),
        results.QuietResult(("customer", "2"), "unchanged", reads=2, seconds=0.5),
        results.QuietResult(("customer", "3"), "unchanged", contact_id=33, seconds=0.1),
        results.QuietResult(("customer", "4"), "skipped", message="no e-mail"),
        results.QuietResult(("guest", "3"), "conflict", message="two contacts", reads=4),
    ]
    kept = results.record_quiet_results(run_id, quiet)
    assert kept == ["failed", "updated", "unchanged", "skipped", "conflict"]
    assert _counts(run_id) == {
        "failed": 1,
        "updated": 1,
        "unchanged": 1,
        "skipped": 1,
        "conflicts": 1,
    }
    assert Run.get_by_id(run_id).api_reads == 7
    rows = {(i.entity_type, i.entity_key): i for i in RunItem.select().where(RunItem.run == run_id)}
    assert len(rows) == 5 and all(r.final for r in rows.values())
    assert (rows[("customer", "3")].contact_id, rows[("customer", "3")].seconds) == (33, 0.1)
    assert (rows[("guest", "3")].error_class, rows[("guest", "3")].message) == (
        "conflict",
        "two contacts",
    )
    assert rows[("customer", "2")].seconds == 0.5
    # Recorded again (a batch worked twice): nothing changes but the reads.
    assert results.record_quiet_results(run_id, quiet[2:4]) == ["unchanged", "skipped"]
    assert _counts(run_id)["unchanged"] == 1 and Run.get_by_id(run_id).api_reads == 7
    assert results.record_quiet_results(run_id, []) == []
