"""Fault scenarios as real processes: is every customer accounted for exactly once?

Each scenario starts its own PlentyONE and Magento sandboxes (``plentysync sandbox ...``),
a private redis-server and, where it needs one, a private PostgreSQL cluster, then exports
with ``plentysync worker`` x2 and ``plentysync scheduler`` or with an inline ``plentysync
customer export``, strikes while the run is under way, and takes the truth from the
PlentyONE sandbox's contacts (``bench/fault_tally.py``). The goal for every scenario: every
exportable customer exported, 0 duplicates, 0 lost, 0 failures that are ours, 1.00 results
per customer, and the run's created / updated+unchanged / failed equal to what the sandbox
holds. The process exits 1 when a scenario misses it.

Run from the repository root: ``.venv/bin/python -m bench.faults [--scenario NAME ...]
[--customers 200] [--json] [--keep]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import peewee as pw

from bench.fault_processes import PrivatePostgres, children, wait_until
from bench.fault_rig import PLENTYSYNC, Rig, RigOptions
from bench.fault_tally import HEADER, Tally, table_line, take_tally
from core.db.connection import database
from core.db.models import AddressLink, Run
from core.export.deps import PARK_DELAY
from core.export.runs import RunOptions
from core.export.service import start_export
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment

# Dirty kinds of the Magento sandbox that PlentyONE must not receive: they may fail.
REFUSED_KINDS = {"markup_in_name", "overlong_fields"}


@dataclass
class Scene:
    """One scenario under way: its rig, its runs and what it noted."""

    rig: Rig
    runs: list[int]
    notes: list[str]
    started: float = 0.0
    deadline: float = 0.0
    tally: Tally | None = None

    def progress(self) -> int:
        """Customers with a result in the scenario's runs (-1 while the database is away)."""
        try:
            rows = Run.select().where(Run.id.in_(self.runs))
            return sum(r.created + r.updated + r.unchanged + r.skipped + r.failed for r in rows)
        except (pw.OperationalError, pw.InterfaceError):
            database.close()
            return -1

    def open(self) -> bool:
        try:
            open_runs = Run.id.in_(self.runs) & Run.status.in_(("pending", "running"))
            return bool(Run.select().where(open_runs).exists())
        except (pw.OperationalError, pw.InterfaceError):
            database.close()
            return True

    def reach(self, share: float) -> bool:
        """Wait (bounded) until ``share`` of the customers have a result; False if never."""
        target = int(self.rig.options.customers * share)
        if wait_until(lambda: self.progress() >= target, self.remaining()):
            return True
        self.notes.append(f"never reached {share:.0%} progress")
        return False

    def remaining(self) -> float:
        return max(1.0, self.deadline - time.monotonic())

    def finish(self) -> None:
        """Wait until the runs are closed or the scenario's time is up."""
        if not wait_until(lambda: not self.open(), self.remaining(), step=0.5):
            self.notes.append(f"run still open after {time.monotonic() - self.started:.0f} s")


Strike = Callable[[Scene], None]


def with_workers(rig: Rig, strike: Strike, *, limit: float) -> Scene:
    """``plentysync worker`` x2 and a scheduler export everyone while ``strike`` strikes."""
    rig.start_worker("worker-1")
    rig.start_worker("worker-2")
    rig.start_scheduler()
    assert rig.profile is not None
    run = start_export(rig.profile, RunOptions(guests=False), trigger="bench")
    scene = Scene(rig, [run.id], [], time.monotonic(), time.monotonic() + limit)
    DramatiqExecutor(choose_deployment().courier()).submit(run)
    strike(scene)
    scene.finish()
    return scene


def inline(rig: Rig, strike: Strike, *, limit: float) -> Scene:
    """An inline ``plentysync customer export`` while ``strike`` strikes."""
    scene = Scene(rig, [], [], time.monotonic(), time.monotonic() + limit)
    proc = rig.start_inline_export()
    if wait_until(lambda: Run.select().exists(), 30, step=0.1):
        scene.runs = [r.id for r in Run.select()]
    strike(scene)
    try:
        proc.wait(scene.remaining())
    except subprocess.TimeoutExpired:
        scene.notes.append("the export was still running at the end")
    rig.processes.stop("export")
    if proc.returncode:
        scene.notes.append(f"export exit {proc.returncode} {_last_line(rig, 'export')}".strip())
    scene.runs = [r.id for r in Run.select()]
    return scene


def resume_inline(scene: Scene) -> None:
    """``plentysync run resume`` the run, then ``plentysync serve`` works what is left.

    A run whose process died is worked to its end by ``run resume`` itself, after waiting out
    the creates the dead process may have had in flight (``PARK_DELAY``); exit status 3
    says some customers failed, which the tally judges.
    """
    rig = scene.rig
    for run_id in scene.runs:
        done = rig.plentysync(
            "run",
            "resume",
            str(run_id),
            timeout=PARK_DELAY.total_seconds() + time_limit(rig.options),
        )
        said = (done.stdout + done.stderr).strip()[-160:]
        if done.returncode not in (0, 3):
            scene.notes.append(f"resume refused: {said}")
            return
        scene.notes.append(f"resume: {said}")
    rig.processes.start("serve", [PLENTYSYNC, "serve"], rig.env())
    scene.deadline = max(scene.deadline, time.monotonic() + time_limit(rig.options) / 2)
    scene.finish()
    rig.processes.stop("serve")


def _last_line(rig: Rig, name: str) -> str:
    lines = [line for line in rig.processes.log(name).splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# -- the strikes -------------------------------------------------------------------------------


def server_errors_and_timeouts(scene: Scene) -> None:
    """10 % of writes answered 5xx; 6 % hang and are not applied, applied, or applied late."""
    scene.rig.configure_plenty(
        {
            "faults": {
                "seed": 3,
                "error_rate": 0.1,
                "timeout_rate": 0.06,
                "timeout_hang_s": 1.0,
                "late_apply_s": 0.5,
            }
        }
    )


def kill_worker_child(scene: Scene) -> None:
    """SIGKILL one Dramatiq child process of the first ``plentysync worker``."""
    if not scene.reach(0.25):
        return
    parent = scene.rig.processes.running["worker-1"]
    kids = children(parent.pid)
    if not kids:
        scene.notes.append("worker-1 had no child process to kill")
        return
    signal_pid(kids[0], signal.SIGKILL)
    time.sleep(3)
    scene.notes.append(
        "worker-1 " + ("still running" if parent.poll() is None else f"exited {parent.returncode}")
    )


def errors_then_kill_child(scene: Scene) -> None:
    scene.rig.configure_plenty({"faults": {"seed": 5, "error_rate": 0.1}})
    kill_worker_child(scene)


def kill_inline_and_resume(scene: Scene) -> None:
    if not scene.reach(0.3):
        return
    scene.rig.processes.signal("export", signal.SIGKILL)
    scene.rig.processes.stop("export")
    scene.notes.append(f"export killed at {scene.progress()} results")


def restart_redis_empty(scene: Scene) -> None:
    redis = scene.rig.redis
    if redis is None or not scene.reach(0.3):
        return
    redis.kill()
    time.sleep(2)
    redis.start()


def rate_limits_and_tokens(scene: Scene) -> None:
    """429 bursts on the sliding window; tokens revoked and expired, over and over.

    A burst refuses the next 12 calls within one window (5 s), and one comes every 9 s: a
    storm that ends between bursts, as contention does. (A burst that lasts until its
    refusals are used up starves a lone caller, such as a run's enumeration, for good: each
    refusal costs a Retry-After, and the next burst comes first.)
    """
    moves = (
        lambda: scene.rig.plenty_control("rate-limits/burst", {"count": 12, "hold_s": 5.0}),
        lambda: scene.rig.plenty_control("tokens/revoke"),
        lambda: scene.rig.plenty_control("tokens/expire"),
    )
    turn = 0
    while scene.open() and scene.remaining() > 5 and turn < 400:
        moves[turn % len(moves)]()
        turn += 1
        time.sleep(3.0)
    scene.notes.append(f"{turn} strikes ({(turn + 2) // 3} bursts)")


def hold_sqlite_lock(seconds: float) -> Strike:
    def strike(scene: Scene) -> None:
        if not scene.reach(0.25):
            return
        path = scene.rig.sqlite_path()
        lock = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            scene.notes.append(f"write lock held {seconds:g} s")
            time.sleep(min(seconds, scene.remaining()))
            lock.execute("ROLLBACK")
        finally:
            lock.close()

    return strike


def restart_postgres(scene: Scene) -> None:
    postgres = scene.rig.postgres
    if postgres is None or not scene.reach(0.3):
        return
    postgres.restart()
    database.close()


def sigterm_worker(scene: Scene) -> None:
    """SIGTERM the first ``plentysync worker`` mid-batch; a fresh one takes its place."""
    if not scene.reach(0.3):
        return
    processes = scene.rig.processes
    processes.signal("worker-1", signal.SIGTERM, group=False)
    code = processes.stop("worker-1", timeout=30)
    scene.notes.append(f"worker-1 exited {code} after SIGTERM")
    scene.rig.start_worker("worker-3")


def signal_pid(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


# -- scenarios ---------------------------------------------------------------------------------


def time_limit(options: RigOptions) -> float:
    """Seconds a scenario's export may take before the harness stops waiting for it."""
    return 60 + options.customers * 0.4


def run_workers(strike: Strike, **rig: object) -> Callable[[RigOptions, bool], Scene]:
    def scenario(options: RigOptions, keep: bool) -> Scene:
        with Rig(replace(options, **rig), keep=keep) as started:  # type: ignore[arg-type]
            scene = with_workers(started, strike, limit=time_limit(options))
            return _tallied(scene)

    return scenario


def _tallied(scene: Scene) -> Scene:
    # The figures are read while the rig (its database) is still there.
    seconds = time.monotonic() - scene.started
    rig = scene.rig
    suspects = rig.refusable(REFUSED_KINDS)
    scene.tally = take_tally(
        "", rig.options.customers, scene.runs, rig.contacts(), data_suspects=suspects
    )
    scene.tally.seconds = seconds
    scene.tally.notes.append(relations_note(rig))
    return scene


def relations_note(rig: Rig) -> str:
    """The address relations the sandbox holds, their duplicates and what still waits."""
    stats = rig.plenty_stats()
    waiting = AddressLink.select().where(AddressLink.relation_state.is_null(False)).count()
    by_type = " ".join(f"{k}={n}" for k, n in stats["relations_by_type"].items())
    return (
        f"relations {by_type}; duplicate relations {stats['duplicate_address_relations']}, "
        f"double primaries {stats['double_primary_relations']}, pending {waiting}"
    )


def kill_inline(options: RigOptions, keep: bool) -> Scene:
    with Rig(replace(options, redis=False), keep=keep) as rig:
        scene = inline(rig, kill_inline_and_resume, limit=time_limit(options))
        resume_inline(scene)
        return _tallied(scene)


def sqlite_locked(options: RigOptions, keep: bool) -> Scene:
    with Rig(replace(options, redis=False), keep=keep) as rig:
        return _tallied(inline(rig, hold_sqlite_lock(45), limit=45 + time_limit(options)))


def dirty_records(options: RigOptions, keep: bool) -> Scene:
    with Rig(replace(options, redis=False, dirty_share=0.3), keep=keep) as rig:
        crafted = rig.serve_crafted()
        scene = inline(rig, lambda scene: None, limit=time_limit(options))
        scene.notes.append(
            f"{len(crafted)} crafted records: " + ", ".join(sorted(crafted.values()))
        )
        return _tallied(scene)


def disk_full(options: RigOptions, keep: bool) -> Scene:
    mount = Path(tempfile.mkdtemp(prefix="plentysync-faults-disk-"))
    command = ["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(mount)]
    mounted = subprocess.run(command, capture_output=True, text=True, timeout=20)
    if mounted.returncode:
        mount.rmdir()
        raise Skip(f"cannot mount a tmpfs: {(mounted.stderr or mounted.stdout).strip()[:120]}")
    try:
        with Rig(replace(options, redis=False, sqlite_path=mount / "plentysync.db"), keep) as rig:
            filler = mount / "filler"
            _fill(filler, leave=192 * 1024)
            scene = inline(rig, lambda scene: None, limit=time_limit(options))
            filler.unlink()
            scene.notes.append("disk freed, then resumed")
            resume_inline(scene)
            return _tallied(scene)
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=20, check=False)
        mount.rmdir()


def _fill(path: Path, *, leave: int) -> None:
    stats = os.statvfs(path.parent)
    free = stats.f_bavail * stats.f_frsize
    with path.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def postgres_restarted(options: RigOptions, keep: bool) -> Scene:
    why = PrivatePostgres.unavailable()
    if why:
        raise Skip(why)
    return run_workers(restart_postgres, database="postgres")(options, keep)


class Skip(Exception):
    """The scenario cannot run on this machine; the message says why."""


Scenario = Callable[[RigOptions, bool], Scene]
SCENARIOS: dict[str, Scenario] = {
    "5xx-timeouts": run_workers(server_errors_and_timeouts),
    "kill-child": run_workers(kill_worker_child),
    "kill-inline": kill_inline,
    "redis-restart": run_workers(restart_redis_empty),
    "429-tokens": run_workers(rate_limits_and_tokens, sliding=True, window_s=5.0, write_limit=150),
    "dirty-records": dirty_records,
    "sqlite-locked": sqlite_locked,
    "disk-full": disk_full,
    "postgres-restart": postgres_restarted,
    "sigterm": run_workers(sigterm_worker),
    # The short scenario of the test suite: 10 % 5xx and a worker child killed.
    "5xx-kill-child": run_workers(errors_then_kill_child),
}
DEFAULT_SCENARIOS = [name for name in SCENARIOS if name != "5xx-kill-child"]


def run_scenario(name: str, customers: int, keep: bool = False) -> Tally:
    """Run one scenario from scratch and return its line of the table."""
    try:
        scene = SCENARIOS[name](RigOptions(customers=customers), keep)
    except Skip as why:
        return Tally(name, expected=customers, skipped=str(why))
    except Exception as exc:  # one broken scenario must not hide the others' figures
        return Tally(name, expected=customers, notes=[f"the scenario broke: {exc!r}"[:300]])
    tally = scene.tally
    assert tally is not None
    tally.scenario = name
    tally.notes = scene.notes + tally.notes
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="One JSON document on stdout.")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch directories.")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every rig stops its processes and removes its files.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    tallies = []
    if not args.json:
        print(HEADER, flush=True)
    for name in args.scenario or DEFAULT_SCENARIOS:
        tally = run_scenario(name, args.customers, args.keep)
        tallies.append(tally)
        if not args.json:
            print(table_line(tally), flush=True)
            for note in tally.notes:
                print(f"{'':<17}{note}", flush=True)
    if args.json:
        print(json.dumps([t.as_json() for t in tallies], indent=2))
    sys.exit(0 if all(t.ok for t in tallies) else 1)


if __name__ == "__main__":
    main()
