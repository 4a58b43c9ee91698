"""An inline run's heartbeat beats from a thread while the run is worked, and stops when
another process has taken the run over."""

from __future__ import annotations

import datetime as dt
import os
import time

from core.db.connection import write_transaction
from core.db.models import Run
from core.export.owner import heartbeat
from tests.core.operations.helpers import add_run
from tests.worker.offline import offline_profile

EVERY = dt.timedelta(seconds=0.05)


def _beat_at(run_id: int) -> dt.datetime:
    return Run.get_by_id(run_id).heartbeat_at  # type: ignore[no-any-return]


def _wait_for_a_beat_after(run_id: int, moment: dt.datetime) -> dt.datetime:
    deadline = time.monotonic() + 5
    while (beat := _beat_at(run_id)) <= moment and time.monotonic() < deadline:
        time.sleep(0.02)
    return beat


def test_the_heartbeat_moves_while_the_block_runs_and_stops_after(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "running")
    with heartbeat(run.id, every=EVERY):
        owned = Run.get_by_id(run.id)
        assert owned.owner_pid == os.getpid()
        claimed = _beat_at(run.id)
        assert _wait_for_a_beat_after(run.id, claimed) > claimed
    last = _beat_at(run.id)
    time.sleep(EVERY.total_seconds() * 4)
    assert _beat_at(run.id) == last


def test_the_heartbeat_stops_once_another_process_owns_the_run(sqlite_db: str) -> None:
    run = add_run(offline_profile(), "running")
    with heartbeat(run.id, every=EVERY):
        with write_transaction():
            Run.update(owner_pid=os.getpid() + 1).where(Run.id == run.id).execute()
        taken = _beat_at(run.id)
        time.sleep(EVERY.total_seconds() * 4)
        assert _beat_at(run.id) == taken  # the new owner's heartbeat is left alone
