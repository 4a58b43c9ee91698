"""The sweeper re-sends lost work and flags stale runs; ``run cancel|resume|list``."""

from __future__ import annotations

import datetime as dt
import json

from dramatiq.brokers.stub import StubBroker
from typer.testing import CliRunner

from cli.main import app
from core.db.connection import write_transaction
from core.db.models import Run, RunBatch, utcnow
from core.export import runs
from tests.worker.offline import offline_profile
from worker.broker import BULK
from worker.courier import Courier
from worker.sweeper import sweep

HOUR = dt.timedelta(hours=1)


def _sent_batches(broker: StubBroker) -> list[int]:
    found = []
    for name in (BULK, f"{BULK}.DQ"):
        queued = broker.queues.get(name)
        while queued is not None and not queued.empty():
            message = json.loads(queued.get_nowait())
            if message["actor_name"] == "export_batch":
                found.append(int(message["args"][0]))
    return sorted(found)


def _open_run(keys: list[str]) -> Run:
    profile = offline_profile()
    run = runs.create_run(profile, "manual", runs.RunOptions(entity_ids=[int(k) for k in keys]))
    runs.start_run(run.id)
    runs.add_batches(run.id, keys, 2, done=True)
    return Run.get_by_id(run.id)


def test_lost_batches_are_resent_once_per_grace_period(sqlite_db: str) -> None:
    run = _open_run(["1", "2", "3", "4", "5", "6"])
    first, second, third = RunBatch.select().where(RunBatch.run == run.id).order_by(RunBatch.id)
    # A worker died holding the first batch; the second's message was lost long ago; the
    # third is leased by a live worker.
    assert runs.lease_batch(first.id, "dead-worker", dt.timedelta(seconds=-1)) is not None
    with write_transaction():
        RunBatch.update(updated_at=utcnow() - HOUR).where(
            RunBatch.id.in_([first.id, second.id])
        ).execute()
    assert runs.lease_batch(third.id, "live-worker", dt.timedelta(minutes=5)) is not None
    broker = StubBroker()
    courier = Courier(broker)

    result = sweep(courier, grace=dt.timedelta(minutes=1), stale_after=HOUR)
    assert result.batches_resent == 2
    assert _sent_batches(broker) == [first.id, second.id]
    # Sent again just now: the next sweep leaves them their grace period.
    assert sweep(courier, grace=dt.timedelta(minutes=1), stale_after=HOUR).batches_resent == 0
    assert _sent_batches(broker) == []


def test_stale_runs_are_flagged_and_resumed_cancelled_listed(sqlite_db: str) -> None:
    run = _open_run(["1", "2"])
    with write_transaction():
        Run.update(last_progress_at=utcnow() - 2 * HOUR).where(Run.id == run.id).execute()
    assert sweep(Courier(StubBroker()), grace=HOUR, stale_after=HOUR).runs_stale == 1
    stale = Run.get_by_id(run.id)
    assert stale.status == "stale" and "no progress since" in stale.error

    cli = CliRunner()
    listed = cli.invoke(app, ["run", "list", "--status", "stale", "--json"])
    assert json.loads(listed.output)[0]["run"] == run.id
    resumed = cli.invoke(app, ["run", "resume", str(run.id)])
    assert resumed.exit_code == 0, resumed.output
    assert "for 'plentysync serve' to pick up" in resumed.output
    assert Run.get_by_id(run.id).status == "running"
    again = cli.invoke(app, ["run", "resume", str(run.id)])
    assert again.exit_code == 2 and "only paused, stale, failed or cancelled" in again.output
    cancelled = cli.invoke(app, ["run", "cancel", str(run.id)])
    assert cancelled.exit_code == 0 and Run.get_by_id(run.id).status == "cancelled"
    assert cli.invoke(app, ["run", "cancel", str(run.id)]).exit_code == 2


def test_a_batch_whose_workers_keep_dying_is_given_up(sqlite_db: str) -> None:
    from worker.jobs import work_batch

    run = _open_run(["1", "2"])
    batch = RunBatch.get(RunBatch.run == run.id)
    with write_transaction():
        RunBatch.update(attempts=5).where(RunBatch.id == batch.id).execute()
    work_batch(batch.id, Courier(StubBroker()))
    given_up = RunBatch.get_by_id(batch.id)
    assert given_up.status == "failed" and "gave up after 5 attempts" in given_up.error
    assert Run.get_by_id(run.id).status == "failed"
