"""Following a run: an export handed to the workers or a serve is followed to its end and exits
as an inline one does; ``--detach`` leaves it; ``run follow`` follows any run; Ctrl-C stops
only the following."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from core.db.connection import database
from core.db.models import Run
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from core.settings import reset_settings
from tests.cli.support import invoke, sigint_handled, start_plentysync
from tests.worker.conftest import REDIS_URL, Sandboxes, WorkerProcesses, make_profile, wait_for
from tests.worker.offline import offline_profile
from worker.deployment import choose_deployment
from worker.settings import reset_worker_settings

SMALL_BATCHES = {"schedule": {"process_batch_size": 5}}


@pytest.fixture
def on_redis(monkeypatch: pytest.MonkeyPatch, redis_namespace: str) -> str:
    monkeypatch.setenv("PLENTYSYNC_REDIS_URL", REDIS_URL)
    reset_settings()
    return redis_namespace


@pytest.fixture
def fast_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLENTYSYNC_WORKER_TICK_S", "0.2")
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "2")
    reset_worker_settings()


def _work_inline_later(run_id: int, delay: float) -> threading.Thread:
    """Work the run inline in a thread of this process after ``delay`` seconds."""

    def work() -> None:
        time.sleep(delay)
        try:
            InlineExecutor().submit(Run.get_by_id(run_id))
        finally:
            database.close()

    thread = threading.Thread(target=work, name="inline-run", daemon=True)
    thread.start()
    return thread


def test_an_inline_export_and_run_follow_of_an_inline_run(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes], on_redis: str
) -> None:
    boxes = start_sandboxes(customers=20)
    profile = make_profile(boxes, changes=SMALL_BATCHES)
    # --inline works it here although Redis is configured, and sends nothing to the broker.
    exported = invoke("customer", "export", "--profile", profile.name, "--inline")
    assert exported.exit_code in (0, 3), exported.output
    assert "run 1 done: 20 customers" in exported.output
    assert "handed to" not in exported.output
    assert "following" not in exported.output

    # Another process works a run; 'run follow' shows it move and ends with its summary.
    run = start_export(profile, RunOptions(force=True), "manual")
    worker = _work_inline_later(run.id, delay=1.5)
    followed = invoke("run", "follow", str(run.id))
    worker.join(timeout=60)
    lines = followed.output.splitlines()
    assert lines[0].startswith(f"run {run.id} pending: 0/?; 0/min; ETA ? at this pace"), lines
    # The sandbox client's budget: 100,000 a minute each, all of it for exports.
    assert (
        "PlentyONE calls 0 read, 0 write (budget 100000 reads, 100000 writes a minute)"
        in (lines[0])
    )
    finished = Run.get_by_id(run.id)
    assert finished.status == "done"
    assert lines[-1].startswith(f"run {run.id} done: 20 customers; "), lines
    expected = 3 if finished.failed or finished.conflicts else 0
    assert followed.exit_code == expected, followed.output


def test_detach_prints_the_run_id_and_leaves_the_run_to_the_workers(
    sqlite_db: str, on_redis: str
) -> None:
    profile = offline_profile()
    began = time.monotonic()
    detached = invoke("customer", "export", "--profile", profile.name, "--detach")
    assert time.monotonic() - began < 10
    assert detached.exit_code == 0, detached.output
    assert detached.stdout.strip() == (
        "run 1 started; the workers work it (follow it with 'plentysync run follow 1')"
    )
    assert "no 'plentysync worker' is alive; run 1 waits until one starts" in detached.stderr
    assert Run.get_by_id(1).status == "pending"  # nobody worked it: no worker runs
    as_json = invoke("customer", "export", "--profile", profile.name, "--detach", "--json",
                     "--beside-open-run")  # fmt: skip
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == {"run": 2, "executor": "workers"}


def test_detach_and_workers_are_refused_when_only_this_process_would_work(
    sqlite_db: str,
) -> None:
    profile = offline_profile()
    for flag in ("--detach", "--workers"):
        refused = invoke("customer", "export", "--profile", profile.name, flag)
        assert refused.exit_code == 2, refused.output
        assert "set PLENTYSYNC_REDIS_URL" in refused.output
    assert Run.select().count() == 0


def test_an_export_handed_to_a_serve_is_followed_to_its_end(
    sqlite_db: str, start_sandboxes: Callable[..., Sandboxes], fast_ticks: None
) -> None:
    boxes = start_sandboxes(customers=15)
    profile = make_profile(boxes, changes=SMALL_BATCHES)
    service = choose_deployment().embedded()
    service.start()
    try:
        exported = invoke("customer", "export", "--profile", profile.name)
        detached = invoke("customer", "export", "--profile", profile.name, "--force", "--detach")
        assert detached.exit_code == 0, detached.output
        assert "run 2 started; 'plentysync serve' works it" in detached.output
        followed = invoke("run", "follow", "2")
    finally:
        service.stop(timeout=10)
    lines = exported.output.splitlines()
    assert lines[0] == (
        "run 1 handed to 'plentysync serve'; following it (Ctrl-C stops following, not the run)"
    )
    assert lines[1].startswith("run 1 pending: ") or lines[1].startswith("run 1 running: ")
    assert lines[-1].startswith("run 1 done: 15 customers; created ")
    assert exported.exit_code == (3 if Run.get_by_id(1).failed else 0), exported.output
    assert followed.output.splitlines()[-1].startswith("run 2 done: 15 customers; ")
    assert followed.exit_code in (0, 3), followed.output


def test_run_follow_of_an_unknown_run_is_a_usage_error(sqlite_db: str) -> None:
    unknown = invoke("run", "follow", "42")
    assert unknown.exit_code == 2
    assert "no run 42" in unknown.output


@pytest.fixture
def pending_run(sqlite_db: str) -> Iterator[int]:
    """A run nobody works (no serve, no worker): following it never ends by itself."""
    run = start_export(offline_profile(), RunOptions(), "manual")
    database.close()  # the followed process opens the same SQLite file
    yield run.id


# The same Ctrl-C whether the tests were started at a terminal or in a script's background,
# where SIGINT is ignored and every child would inherit that (the follower never ended).
@pytest.mark.parametrize("parent", ["takes Ctrl-C", "ignores Ctrl-C"])
def test_ctrl_c_stops_following_and_not_the_run(
    plentysync_home: Path, pending_run: int, parent: str
) -> None:
    runner = signal.SIG_IGN if parent == "ignores Ctrl-C" else signal.default_int_handler
    with sigint_handled(runner):
        follower = start_plentysync(plentysync_home, "run", "follow", str(pending_run))
    assert follower.stdout is not None
    first = follower.stdout.readline()
    assert first.startswith(f"run {pending_run} pending: 0/?"), first
    follower.send_signal(signal.SIGINT)
    _, stderr = follower.communicate(timeout=30)
    assert follower.returncode == 130, stderr
    assert stderr.splitlines() == [
        f"stopped following run {pending_run}; the run goes on "
        f"(follow it again with 'plentysync run follow {pending_run}')"
    ]
    assert Run.get_by_id(pending_run).status == "pending"  # not cancelled


@pytest.mark.redis
@pytest.mark.timeout(300)
def test_an_export_on_the_workers_is_followed_and_exits_3_for_a_failed_customer(
    start_sandboxes: Callable[..., Sandboxes], workers: WorkerProcesses
) -> None:
    boxes = start_sandboxes(customers=40)
    profile = make_profile(boxes, changes=SMALL_BATCHES)
    workers.start(processes=1, threads=2)
    wait_for(lambda: bool(choose_deployment().live_workers()), 60, "a live worker", workers.logs)
    exported = invoke("customer", "export", "--profile", profile.name, "--entity-ids", "1-30")
    run = Run.get_by_id(1)
    assert run.status == "done", workers.logs()  # followed to its end
    lines = exported.output.splitlines()
    assert lines[0] == (
        "run 1 handed to the workers; following it (Ctrl-C stops following, not the run)"
    )
    assert "no 'plentysync worker' is alive" not in exported.output
    assert any(line.startswith("run 1 ") and "/min; ETA" in line for line in lines[1:-1])
    assert lines[-1].startswith("run 1 done: 30 customers; "), lines
    assert run.created == 30 and exported.exit_code == 0, exported.output

    # PlentyONE refuses every write now: the followed export ends as an inline one, with 3.
    refuse = {"faults": {"error_rate": 1.0, "error_statuses": [422]}}
    httpx.post(f"{boxes.plenty.base_url}/_sandbox/config", json=refuse).raise_for_status()
    refused = invoke("customer", "export", "--profile", profile.name, "--entity-ids", "31-33")
    assert refused.exit_code == 3, refused.output
    assert Run.get_by_id(2).failed == 3
    assert refused.output.splitlines()[-1].startswith("run 2 done: 3 customers; ")

    # Following a run that has ended: its summary and the same status at once.
    again = invoke("run", "follow", "2", "--json")
    assert again.exit_code == 3
    assert json.loads(again.stdout)["failed"] == 3
