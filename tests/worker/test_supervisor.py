"""``plentysync worker`` outlives a dead worker process; a crash loop or a bad start ends it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.export.runs import RunOptions
from core.export.service import start_export
from tests.worker.conftest import (
    ROOT,
    Sandboxes,
    WorkerProcesses,
    make_profile,
    run_status,
    sweeping,
    wait_for,
)
from tests.worker.test_worker_crashes import BUDGET, CUSTOMERS, LIMITS, _assert_complete, _progress
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment
from worker.supervisor import RESTART_LIMIT, supervise

# Dies by SIGKILL on its first two starts, then waits for SIGTERM and notes that it got it.
FLAKY = """
import os, signal, sys, time
from pathlib import Path
log = Path(sys.argv[1])
starts = len(log.read_text().splitlines()) if log.exists() else 0
with log.open("a") as f:
    f.write(f"start {os.getpid()}\\n")
if starts < 2:
    os.kill(os.getpid(), signal.SIGKILL)
def stop(signum, frame):
    with log.open("a") as f:
        f.write("stopped\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(0.05)
"""


def test_a_killed_child_is_started_again_and_a_stop_is_forwarded_once(tmp_path: Path) -> None:
    log = tmp_path / "starts.log"
    stop = threading.Event()
    argv = [sys.executable, "-c", FLAKY, str(log)]
    with ThreadPoolExecutor(1) as pool:
        code = pool.submit(supervise, argv, stop, poll=0.05, first_pause=0.05)
        wait_for(lambda: log.exists() and log.read_text().count("start") == 3, 20, "3 starts")
        time.sleep(0.3)  # the third one is up and waiting, not dying
        stop.set()
        assert code.result(timeout=20) == 0
    assert [line.split()[0] for line in log.read_text().splitlines()] == [
        "start",
        "start",
        "start",
        "stopped",
    ]


def test_a_child_that_cannot_start_is_not_started_again(tmp_path: Path) -> None:
    log = tmp_path / "starts.log"
    script = f"open({str(log)!r}, 'a').write('start\\n'); raise SystemExit(2)"
    code = supervise([sys.executable, "-c", script], threading.Event(), poll=0.05)
    assert code == 2
    assert log.read_text().count("start") == 1


def test_a_crash_loop_ends_with_the_childs_exit_code(tmp_path: Path) -> None:
    log = tmp_path / "starts.log"
    script = f"open({str(log)!r}, 'a').write('start\\n'); raise SystemExit(3)"
    code = supervise([sys.executable, "-c", script], threading.Event(), poll=0.05, first_pause=0.01)
    assert code == 3
    assert log.read_text().count("start") == RESTART_LIMIT + 1


def test_dramatiq_is_stopped_when_the_command_is_killed_outright(tmp_path: Path) -> None:
    log = tmp_path / "starts.log"
    log.write_text("start\nstart\n")  # FLAKY then starts and waits for its SIGTERM
    command = (
        "import sys, threading; from worker.supervisor import supervise; "
        f"supervise([sys.executable, '-c', {FLAKY!r}, {str(log)!r}], threading.Event())"
    )
    parent = subprocess.Popen([sys.executable, "-c", command], cwd=ROOT)
    try:
        wait_for(lambda: log.read_text().count("start") == 3, 20, "the child to start")
        time.sleep(0.3)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        wait_for(lambda: "stopped" in log.read_text(), 10, "the orphaned child to stop")
    finally:
        if parent.poll() is None:
            parent.kill()
        for line in log.read_text().splitlines():
            if line.startswith("start ") and line.split()[1].isdigit():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(line.split()[1]), signal.SIGKILL)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"dramatiq" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


@pytest.mark.redis
@pytest.mark.slow  # a fault scenario: worker processes over a budget-paced run
@pytest.mark.timeout(600)
def test_killing_one_worker_child_keeps_the_command_running_and_loses_nothing(
    start_sandboxes: Callable[..., Sandboxes], workers: WorkerProcesses, tmp_path: Path
) -> None:
    boxes = start_sandboxes(customers=CUSTOMERS, limits=LIMITS)
    profile = make_profile(boxes, budget=BUDGET, changes={"schedule": {"process_batch_size": 20}})
    courier = choose_deployment().courier()
    with (tmp_path / "plentysync-worker.log").open("wb") as out:
        command = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "worker", "--processes", "2", "--threads", "2"],
            cwd=ROOT,
            env=workers.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    seen: list[int] = []
    try:
        wait_for(lambda: len(_children(command.pid)) == 1, 30, "Dramatiq to start")
        (dramatiq,) = _children(command.pid)
        seen.append(dramatiq)
        wait_for(lambda: len(_children(dramatiq)) == 2, 30, "two worker processes")
        run = start_export(profile, RunOptions(guests=False))
        DramatiqExecutor(courier).submit(run)
        wait_for(lambda: _progress(run.id) >= CUSTOMERS // 4, 60, "progress", workers.logs)
        os.kill(_children(dramatiq)[0], signal.SIGKILL)

        wait_for(lambda: _children(command.pid) not in ([], [dramatiq]), 60, "Dramatiq to restart")
        assert command.poll() is None
        assert run_status(run.id) == "running" and _progress(run.id) < CUSTOMERS
        with sweeping(courier):
            wait_for(lambda: run_status(run.id) != "running", 180, "the run to end", workers.logs)
        assert command.poll() is None
        _assert_complete(run.id, boxes)
    finally:
        if command.poll() is None:
            os.kill(command.pid, signal.SIGTERM)
            try:
                command.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(command.pid, signal.SIGKILL)
        for pid in seen:  # Dramatiq runs in a session of its own: nothing may outlive the test
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    assert command.returncode == 0
    assert b"one of its worker processes died" in (tmp_path / "plentysync-worker.log").read_bytes()
