"""The export queue: versions, edits during processing, failures kept, and the CLI."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app
from core.db.models import QueueItem, RunBatch
from core.export import queue, results, runs
from tests.worker.offline import offline_profile


def _status(profile_id: int) -> dict[str, tuple[str, int]]:
    return {
        row.entity_key: (row.status, row.version)
        for row in QueueItem.select().where(QueueItem.profile == profile_id)
    }


def test_an_edit_during_processing_is_not_lost_and_failures_stay(db: str) -> None:
    profile = offline_profile()
    assert queue.enqueue(profile.id, ["1", "2", "3", "4"]) == 4
    assert queue.enqueue(profile.id, ["2"]) == 0
    assert _status(profile.id)["2"] == ("pending", 2)

    run = runs.create_run(profile, "queue", runs.RunOptions(queue=True))
    assert queue.lease_into_batches(run, batch_size=3, limit=10)
    batches = [b.entity_keys for b in RunBatch.select().where(RunBatch.run == run.id)]
    assert batches == [["1", "2", "3"], ["4"]]
    assert {s for s, _ in _status(profile.id).values()} == {"processing"}

    queue.enqueue(profile.id, ["2"])  # the customer is edited while its batch runs
    results.record_result(run.id, ("customer", "3"), "failed", message="bad VAT id")
    queue.settle_keys(run.id, profile.id, ["1", "2", "3"])
    after = _status(profile.id)
    assert "1" not in after
    assert after["2"] == ("pending", 3)
    assert after["3"][0] == "failed" and after["4"][0] == "processing"
    failed = QueueItem.get(QueueItem.entity_key == "3")
    assert failed.last_error_message == "bad VAT id" and failed.attempts == 1

    stats = queue.stats(profile.id)
    assert stats.by_status == {"pending": 1, "processing": 1, "changed": 0, "failed": 1}
    assert stats.due == 1
    assert queue.retry_failed(profile.id) == 1
    assert _status(profile.id)["3"][0] == "pending"


def test_items_of_an_ended_run_are_released(db: str) -> None:
    profile = offline_profile()
    queue.enqueue(profile.id, ["7", "8"])
    run = runs.create_run(profile, "queue", runs.RunOptions(queue=True))
    queue.lease_into_batches(run, batch_size=10, limit=10)
    assert queue.release_orphans() == 0  # the run is open: its items stay leased
    runs.cancel_run(run.id)
    assert queue.release_orphans() == 2
    assert {s for s, _ in _status(profile.id).values()} == {"pending"}


def test_queue_command(sqlite_db: str) -> None:
    profile = offline_profile()
    cli = CliRunner()
    eu = ["--profile", "eu"]
    added = cli.invoke(app, ["customer", "queue", "add", *eu, "--entity-ids", "1-5"])
    assert added.exit_code == 0, added.output
    assert "5 customers queued (5 new" in added.output
    stats = cli.invoke(app, ["customer", "queue", "stats", *eu, "--json"])
    assert '"pending": 5' in stats.output and '"due": 5' in stats.output
    removed = cli.invoke(app, ["customer", "queue", "remove", *eu, "--entity-id", "2"])
    assert "1 customers removed" in removed.output
    listed = cli.invoke(app, ["customer", "queue", "list", *eu, "--verbose"])
    assert listed.stdout.count("pending") == 4 and "ATTEMPTS" in listed.stdout
    refused = cli.invoke(app, ["customer", "queue", "clear", *eu])
    assert refused.exit_code == 2 and queue.stats(profile.id).total == 4
    cleared = cli.invoke(app, ["customer", "queue", "clear", *eu, "--yes"])
    assert cleared.exit_code == 0 and queue.stats(profile.id).total == 0
    # The older flags still work for a release, with a line saying what replaces them.
    old = cli.invoke(app, ["customer", "queue", "--profile-id", "eu", "--add", "--entity-id", "3"])
    assert old.exit_code == 0 and "'customer queue add'" in old.stderr
    assert queue.stats(profile.id).total == 1
    both = cli.invoke(app, ["customer", "queue", "--profile-id", "eu", "--list", "--stats"])
    assert both.exit_code == 2
