"""Customers per second with 1, 2 and 4 worker processes, against the bound the budget sets.

For each process count: a fresh temporary data directory with its SQLite database,
both emulators in this process (PlentyONE with a short ``--window`` and ``--write-limit``
writes per window), the demo's client, source and profile, then ``dramatiq worker.actors``
processes on the Redis at ``--redis-url`` (own key namespace, removed afterwards) exporting
every customer. Prints customers per second, writes per customer, 429 answers, PlentyONE
logins, and the **bound**: our share of the write budget (``floor(limit * share) / window``
calls per second) divided by the measured writes per customer. ``ratio`` is achieved / bound.

Run: ``.venv/bin/python bench/workers.py [--customers 1000] [--processes 1,2,4]
[--threads 4] [--write-limit 300] [--read-limit 600] [--window 5] [--share 0.8]
[--redis-url redis://127.0.0.1:6379/0]``
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

from cli.demo import set_up_demo, use_scratch_home
from core.clients import ClientSettings
from core.db.connection import database
from core.db.models import Run
from core.export.runs import RunOptions
from core.export.service import start_export
from core.files import create_private_file
from core.settings import reset_settings
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment
from worker.settings import reset_worker_settings

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Round:
    processes: int
    customers: int
    seconds: float
    writes: int
    rate_limited: int
    logins: int
    bound: float

    @property
    def per_second(self) -> float:
        return self.customers / self.seconds

    def line(self) -> str:
        return (
            f"{self.processes:>9}  {self.customers:>9}  {self.seconds:>7.1f}  "
            f"{self.per_second:>7.1f}  {self.writes / self.customers:>9.2f}  "
            f"{self.bound:>7.1f}  {self.per_second / self.bound:>5.2f}  "
            f"{self.rate_limited:>4}  {self.logins:>6}"
        )


def one_round(args: argparse.Namespace, processes: int) -> Round:
    home = use_scratch_home("plentysync-bench-workers-")
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    env_values = {
        "PLENTYSYNC_REDIS_URL": args.redis_url,
        "PLENTYSYNC_WORKER_REDIS_NAMESPACE": namespace,
        "PLENTYSYNC_WORKER_PLENTY_WINDOW_S": str(args.window),
        "PLENTYSYNC_WORKER_PROCESSES": str(processes),
        "PLENTYSYNC_WORKER_THREADS": str(args.threads),
        "PLENTYSYNC_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env_values)
    reset_settings()
    reset_worker_settings()
    limits = RateLimits(
        short_read=args.read_limit,
        short_write=args.write_limit,
        long_read=10**8,
        long_write=10**8,
        short_period_s=args.window,
    )
    budget = ClientSettings(
        plan=None,
        read_per_minute=args.read_limit,
        write_per_minute=args.write_limit,
        budget_share=args.share,
    )
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with (
            serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
            serve_in_thread(
                magento_app(MagentoSandboxConfig(customers=args.customers, seed=3, orders=0))
            ) as shop,
        ):
            profile, _ = set_up_demo(plenty.base_url, shop.base_url, budget)
            before = httpx.get(f"{plenty.base_url}/_sandbox/stats").json()
            for _ in range(processes):
                procs.append(start_worker(args.threads, home))
            run = start_export(profile, RunOptions(guests=False), trigger="bench")
            DramatiqExecutor(choose_deployment().courier()).submit(run)
            while Run.get_by_id(run.id).status in ("pending", "running"):
                time.sleep(0.5)
            done = Run.get_by_id(run.id)
            after = httpx.get(f"{plenty.base_url}/_sandbox/stats").json()
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(f"{namespace}:*", count=1000):
            client.delete(key)
        database.close()
        shutil.rmtree(home, ignore_errors=True)
    if done.status != "done":
        raise SystemExit(f"run ended {done.status}: {done.error}")
    customers = done.created + done.failed + done.unchanged + done.updated + done.skipped
    assert done.finished_at is not None and done.started_at is not None
    seconds = (done.finished_at - done.started_at).total_seconds()
    writes = done.api_writes
    allowed = math.floor(args.write_limit * args.share) / args.window
    return Round(
        processes=processes,
        customers=customers,
        seconds=seconds,
        writes=writes,
        rate_limited=after["calls"]["rate_limited"] - before["calls"]["rate_limited"],
        logins=after["sessions"]["logins"] - before["sessions"]["logins"],
        bound=allowed / (writes / customers),
    )


def start_worker(threads: int, home: Path) -> subprocess.Popen[bytes]:
    log = os.fdopen(create_private_file(home / f"worker-{time.monotonic_ns()}.log"), "wb")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dramatiq",
            "worker.actors",
            "--processes",
            "1",
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--write-limit", type=int, default=300)
    parser.add_argument("--read-limit", type=int, default=600)
    parser.add_argument("--window", type=float, default=5.0)
    parser.add_argument("--share", type=float, default=0.8)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    print(
        f"write budget {args.write_limit}/{args.window:g} s at share {args.share}, "
        f"{args.threads} threads per process"
    )
    print("processes  customers  seconds  cust/s  writes/cu  bound/s  ratio   429  logins")
    for count in (int(p) for p in args.processes.split(",")):
        print(one_round(args, count).line(), flush=True)


if __name__ == "__main__":
    main()
