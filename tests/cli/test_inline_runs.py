"""An inline export killed mid-run is resumed at once; a new export respects an open run.

Real processes against both sandboxes over HTTP, on the SQLite database of the test's home.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.clients import ClientSettings
from core.db.connection import write_transaction
from core.db.models import CustomerLink, Profile, Run, RunBatch, RunItem, utcnow
from core.export.runs import RunOptions, start_run
from core.export.service import start_export
from tests.cli.support import ROOT
from tests.cli.support import in_process as cli
from tests.worker.conftest import Sandboxes, make_profile, start_sandboxes, wait_for
from tests.worker.test_workers_e2e import assert_no_duplicates

__all__ = ["start_sandboxes"]  # the fixture, used by name

CUSTOMERS = 80
# About 15 writes a second: the export is still going when the test kills it.
SLOW = ClientSettings(plan=None, read_per_minute=6000, write_per_minute=900, budget_share=1.0)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env["PLENTYSYNC_HOME"] = str(home)
    return env


def _progress(run: Run | None) -> int:
    if run is None:
        return 0
    fresh = Run.get_by_id(run.id)
    return int(fresh.created + fresh.failed + fresh.unchanged + fresh.updated + fresh.skipped)


def _dead_pid() -> int:
    """The PID of a process of this host that has just ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _open_run(profile: Profile, *, pid: int, entity_ids: list[int]) -> Run:
    run = start_export(profile, RunOptions(entity_ids=entity_ids))
    start_run(run.id)
    with write_transaction():
        Run.update(owner_host=os.uname().nodename, owner_pid=pid, heartbeat_at=utcnow()).where(
            Run.id == run.id
        ).execute()
    return Run.get_by_id(run.id)


@pytest.mark.slow  # the killed export's last write is looked up after the park delay (90 s)
@pytest.mark.timeout(600)
def test_killed_inline_export_resumes_at_once_with_every_customer(
    sqlite_db: str, plentysync_home: Path, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=CUSTOMERS)
    make_profile(boxes, budget=SLOW, changes={"schedule": {"process_batch_size": 10}})
    export = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "customer", "export", "--profile-id", "demo"],
        cwd=ROOT,
        env=_env(plentysync_home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _progress(Run.select().first()) >= 20, 120, "the export to progress")
        os.kill(export.pid, signal.SIGKILL)
        export.wait(timeout=10)
    finally:
        if export.poll() is None:
            export.kill()
    run = Run.select().get()
    assert run.status == "running" and run.owner_pid == export.pid
    assert _progress(run) < CUSTOMERS

    refused = cli(plentysync_home, "customer", "export", "--profile-id", "demo")
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert f"'plentysync run resume {run.id}'" in lines[0] and "is gone" in lines[0]
    assert Run.select().count() == 1

    started = time.monotonic()
    resumed = cli(plentysync_home, "run", "resume", str(run.id), "--json")
    summary = json.loads(resumed.stdout)
    assert summary["run"] == run.id and summary["status"] == "done"
    # The exit status of an export: 3 when some (dirty) customers failed, else 0.
    assert resumed.returncode == (3 if summary["failed"] else 0), resumed.stderr
    # At once: no sweeper, no stale mark, no lease left to expire (it would take 5 minutes).
    assert time.monotonic() - started < 240

    keys = {str(k) for b in RunBatch.select().where(RunBatch.run == run.id) for k in b.entity_keys}
    assert len(keys) == CUSTOMERS == Run.get_by_id(run.id).total
    linked = {
        link.entity_key for link in CustomerLink.select().where(CustomerLink.state == "linked")
    }
    assert CustomerLink.select().where(CustomerLink.state == "creating").count() == 0
    failed = [i for i in RunItem.select().where(RunItem.action == "failed")]
    assert not [i.message for i in failed if "gave up" in i.message or "claim" in i.message]
    assert linked | {i.entity_key for i in failed} == keys
    assert len(linked) == boxes.stats()["contacts"]
    assert_no_duplicates(boxes)


def test_an_export_beside_a_live_open_run_only_when_asked(
    sqlite_db: str, plentysync_home: Path, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=20)
    profile = make_profile(boxes)
    # This test process plays the live owner of an open run.
    open_run = _open_run(profile, pid=os.getpid(), entity_ids=[1, 2, 3])

    refused = cli(plentysync_home, "customer", "export", "--profile-id", "demo")
    assert refused.returncode == 2
    line = refused.stderr.strip()
    assert "\n" not in line
    assert f"run {open_run.id} of profile demo is still open" in line
    assert f"worked by process {os.getpid()}" in line and "--beside-open-run" in line
    taken = cli(plentysync_home, "run", "resume", str(open_run.id))
    assert taken.returncode == 2 and "still being worked" in taken.stderr
    listed = cli(plentysync_home, "run", "list")
    assert f"process {os.getpid()} on " in listed.stdout

    beside = cli(
        plentysync_home,
        *["customer", "export", "--profile-id", "demo", "--entity-ids", "4-8", "--json"],
        "--beside-open-run",
    )
    second = json.loads(beside.stdout)
    assert beside.returncode == (3 if second["failed"] else 0), beside.stderr
    assert second["run"] != open_run.id and second["status"] == "done"
    assert second["total"] == 5 and second["created"] + second["failed"] == 5
    assert f"run {open_run.id} of this profile is still open" in beside.stderr
    assert Run.get_by_id(open_run.id).status == "running"


def _answer_on_a_terminal(home: Path, args: list[str], answer: str) -> tuple[int, str]:
    """Run plentysync with a terminal as stdin and stdout, answer its question once."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=_env(home),
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    seen, answered = b"", False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            seen += chunk
            if not answered and b"now?" in seen:
                os.write(leader, answer.encode() + b"\n")
                answered = True
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=30)
    os.close(leader)
    return code, seen.decode(errors="replace")


def test_on_a_terminal_an_export_offers_to_resume_a_dead_run(
    sqlite_db: str, plentysync_home: Path, start_sandboxes: Callable[..., Sandboxes]
) -> None:
    boxes = start_sandboxes(customers=20)
    profile = make_profile(boxes)
    dead = _open_run(profile, pid=_dead_pid(), entity_ids=[1, 2, 3, 4])
    args = ["customer", "export", "--profile-id", "demo"]
    listed = cli(plentysync_home, "run", "list")
    assert f"is gone: 'plentysync run resume {dead.id}'" in listed.stdout

    code, screen = _answer_on_a_terminal(plentysync_home, args, "n")
    assert code == 1, screen
    assert f"plentysync run resume {dead.id}" in screen and Run.select().count() == 1

    code, screen = _answer_on_a_terminal(plentysync_home, args, "y")
    assert code == 0, screen
    assert Run.select().count() == 1
    finished = Run.get_by_id(dead.id)
    assert finished.status == "done" and finished.total == 4
    assert finished.created + finished.failed == 4 == boxes.stats()["contacts"] + finished.failed
