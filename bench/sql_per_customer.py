"""Benchmark: SQL statements and CPU time per customer of a first export and of a re-run.

Starts both emulators in child processes with no latency, sets up the demo profile in a
throw-away data directory with SQLite (``cli/demo.py``) and works two exports with the
inline executor: the first (every customer is new) and a re-run (nothing changed, nothing
to write). For each it prints the SQL statements per customer the export sent on this
process's database connections, transactions included (``BEGIN``, ``COMMIT``, savepoints:
SQLite's trace callback sees every statement), the statements per customer without them,
the CPU time per customer (``time.process_time``) and the process's peak RSS, both our own
since the emulators run elsewhere (``--same-process`` serves them in threads instead). The
most repeated statement shapes of each export follow with ``--shapes``.

    .venv/bin/python -m bench.sql_per_customer [--customers 500] [--shapes 10]
        [--budget deployment|database] [--same-process] [--json]

Exports go through the deployment as ``customer export --inline`` does (on a single host the
budget then lives in this process's memory); ``--budget database`` works them with the
database budget instead, as processes that share a host's budget would.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import resource
import shutil
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.types import ASGIApp

from cli.demo import set_up_demo, use_scratch_home
from core.clients import ClientSettings
from core.db.connection import database
from core.db.models import Profile, Run
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import Faults, RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import LOOPBACK, free_port, serve_forever, serve_in_thread, wait_until_listening
from worker.deployment import choose_deployment

# So high that the budget never holds a run up: the figures are our own work per customer.
UNBOUNDED = 100_000
# Numbers, quoted values and savepoint names vary between statements of one shape.
SHAPE = re.compile(r"\d+|'[^']*'|\"s[0-9a-f]+\"")
TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@dataclass
class Statements:
    """The SQL statements this process sent while counting, by shape."""

    total: int = 0
    transactions: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, sql: str) -> None:
        with self._lock:
            self.total += 1
            if TRANSACTION.match(sql):
                self.transactions += 1
            self.shapes[SHAPE.sub("?", " ".join(sql.split()))[:100]] += 1


@contextmanager
def counting_statements() -> Iterator[Statements]:
    """Count every statement sent on the SQLite database's connections inside the block.

    The connection of the calling thread is traced at once; a connection a thread opens
    inside the block is traced as it opens (peewee keeps one connection per thread).
    """
    db = database.obj
    if db is None or not hasattr(db, "_add_conn_hooks"):
        raise RuntimeError("counting statements needs the SQLite database open")
    counted = Statements()
    traced: list[sqlite3.Connection] = []
    original = db._add_conn_hooks

    def hooked(conn: sqlite3.Connection) -> None:
        original(conn)
        conn.set_trace_callback(counted)
        traced.append(conn)

    db._add_conn_hooks = hooked
    own = db.connection()
    own.set_trace_callback(counted)
    traced.append(own)
    try:
        yield counted
    finally:
        db._add_conn_hooks = original
        for conn in traced:
            with suppress(sqlite3.ProgrammingError):  # closed since
                conn.set_trace_callback(None)


@dataclass(frozen=True)
class Figures:
    """What one export cost in SQL and CPU."""

    name: str
    customers: int
    created: int
    updated: int
    unchanged: int
    other: int  # failed, conflicts and skipped
    statements_per_customer: float
    without_transactions_per_customer: float
    cpu_ms_per_customer: float
    # The process's peak resident memory so far (both emulators included).
    rss_peak_mib: float


def _work(profile: Profile, budget: str) -> Run:
    """One export worked in this process: as the CLI does, or with the database budget."""
    options = RunOptions(guests=False)
    if budget == "deployment":
        started = choose_deployment().start_run(profile, options, inline=True)
        finished: Run = Run.get_by_id(started.run_id)
        return finished
    executor = InlineExecutor()  # the budget in the database, as several processes share it
    executor.submit(start_export(profile, options, trigger="manual"))
    assert executor.finished is not None
    return executor.finished


def export_once(
    name: str, profile: Profile, counted: list[Statements], budget: str = "deployment"
) -> Figures:
    """Work one export of the registered customers inline, counting its SQL and CPU."""
    cpu = time.process_time()
    with counting_statements() as statements:
        finished = _work(profile, budget)
    cpu = time.process_time() - cpu
    counted.append(statements)
    customers = max(finished.total, 1)
    return Figures(
        name=name,
        customers=finished.total,
        created=finished.created,
        updated=finished.updated,
        unchanged=finished.unchanged,
        other=finished.failed + finished.conflicts + finished.skipped,
        statements_per_customer=round(statements.total / customers, 3),
        without_transactions_per_customer=round(
            (statements.total - statements.transactions) / customers, 3
        ),
        cpu_ms_per_customer=round(cpu * 1000 / customers, 2),
        rss_peak_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


LIMITS = RateLimits(short_read=UNBOUNDED, short_write=UNBOUNDED, long_read=10**8, long_write=10**8)


def _plenty_app() -> ASGIApp:
    return plenty_app(SandboxConfig(limits=LIMITS, faults=Faults(latency_ms=0)))


def _shop_app(customers: int, seed: int) -> ASGIApp:
    return magento_app(MagentoSandboxConfig(customers=customers, seed=seed, orders=0))


def _serve_child(which: str, port: int, customers: int, seed: int) -> None:
    app = _plenty_app() if which == "plenty" else _shop_app(customers, seed)
    serve_forever(app, port, log_level="warning")


def _wait_for(port: int, timeout: float = 120.0) -> None:
    if not wait_until_listening(port, timeout):
        raise SystemExit(f"an emulator did not start on port {port}")


@contextmanager
def emulators(customers: int, seed: int, children: bool) -> Iterator[tuple[str, str]]:
    """Both emulators' base URLs: in child processes, or in threads of this one."""
    if not children:
        with (
            serve_in_thread(_plenty_app()) as plenty,
            serve_in_thread(_shop_app(customers, seed)) as shop,
        ):
            yield plenty.base_url, shop.base_url
        return
    spawn = multiprocessing.get_context("spawn")
    ports = {"plenty": free_port(), "shop": free_port()}
    started = [
        spawn.Process(target=_serve_child, args=(w, p, customers, seed), daemon=True)
        for w, p in ports.items()
    ]
    for child in started:
        child.start()
    try:
        for port in ports.values():
            _wait_for(port)
        yield f"http://{LOOPBACK}:{ports['plenty']}", f"http://{LOOPBACK}:{ports['shop']}"
    finally:
        for child in started:
            child.terminate()
            child.join(10)


def measure(
    customers: int, seed: int = 7, budget: str = "deployment", children: bool = True
) -> tuple[list[Figures], list[Statements]]:
    """First export and re-run of ``customers`` demo customers, in a scratch data directory."""
    settings = ClientSettings(
        plan=None,
        read_per_minute=UNBOUNDED,
        write_per_minute=UNBOUNDED,
        read_per_day=10**8,
        write_per_day=10**8,
    )
    home = use_scratch_home("plentysync-sql-")
    counted: list[Statements] = []
    try:
        with emulators(customers, seed, children) as (plenty_url, shop_url):
            profile, _ = set_up_demo(plenty_url, shop_url, settings)
            figures = [
                export_once("first", profile, counted, budget),
                export_once("rerun", profile, counted, budget),
            ]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return figures, counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shapes", type=int, default=0, help="most repeated statements")
    parser.add_argument(
        "--budget",
        choices=("deployment", "database"),
        default="deployment",
        help="the budget the deployment picks for an inline export, or the database one",
    )
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="serve the emulators in threads of this process (their CPU and memory then count)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures, counted = measure(args.customers, args.seed, args.budget, not args.same_process)
    if args.json:
        document: dict[str, Any] = {"exports": [asdict(f) for f in figures]}
        json.dump(document, sys.stdout, indent=2)
        print()
        return
    print(
        f"{'export':<7} {'cust':>6} {'created':>7} {'updated':>7} {'unchanged':>9} {'other':>5} "
        f"{'sql/c':>7} "
        f"{'sql/c w/o tx':>12} {'cpu ms/c':>8} {'rss MiB':>7}"
    )
    for f in figures:
        print(
            f"{f.name:<7} {f.customers:>6} {f.created:>7} {f.updated:>7} {f.unchanged:>9} "
            f"{f.other:>5} "
            f"{f.statements_per_customer:>7.3f} {f.without_transactions_per_customer:>12.3f} "
            f"{f.cpu_ms_per_customer:>8.2f} {f.rss_peak_mib:>7.1f}"
        )
    for f, statements in zip(figures, counted, strict=True):
        if args.shapes:
            print(f"most repeated statements of the {f.name} export:")
        for shape, count in statements.shapes.most_common(args.shapes):
            print(f"{count:>7}  {shape}")


if __name__ == "__main__":
    main()
