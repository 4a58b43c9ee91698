"""A worker process's log lines and log file never show a customer's e-mail address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.db.models import Run
from core.export.runs import RunOptions
from core.export.service import start_export
from core.operations.logfile import LOG_FILE
from sandbox.data import Dataset, DatasetConfig
from tests.worker.conftest import Sandboxes, WorkerProcesses, make_profile, wait_finished
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment

CUSTOMERS = 12


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_worker_logs_mask_the_emails_it_looks_up(
    start_sandboxes: Callable[..., Sandboxes],
    workers: WorkerProcesses,
    plentysync_home: Path,
    level: str,
) -> None:
    boxes = start_sandboxes(customers=CUSTOMERS)
    profile = make_profile(boxes)
    workers.env["PLENTYSYNC_LOG_LEVEL"] = level
    workers.start(processes=1, threads=2)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(choose_deployment().courier()).submit(run)
    wait_finished(run.id, workers)
    workers.stop_all()
    finished = Run.get_by_id(run.id)
    assert finished.status == "done" and finished.created > 0, finished.error
    assert boxes.stats()["calls"]["by_method"].get("GET", 0) > 0  # looked contacts up

    dataset = Dataset(DatasetConfig(customers=CUSTOMERS, seed=5, orders=0))
    emails = {str(c["email"]) for i in dataset.ids() if (c := dataset.customer(i))}
    stdout = "\n".join(p.read_text(errors="replace") for p in workers.log_dir.glob("*.log"))
    assert "Worker process is ready for action" in stdout
    assert_no_email(stdout, emails)
    log_file = (plentysync_home / "logs" / LOG_FILE).read_text(errors="replace")
    assert "Worker process is ready for action" in log_file  # the file gets worker lines
    assert_no_email(log_file, emails)


def assert_no_email(text: str, emails: set[str]) -> None:
    shown = sorted(e for e in emails if e in text or e.replace("@", "%40") in text)
    assert not shown, f"{len(shown)} e-mail addresses in the log:\n{text[-2000:]}"
    assert "HTTP Request:" not in text
