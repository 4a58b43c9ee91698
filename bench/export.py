"""Benchmark: a first export, a re-run and a run after changes, against both emulators.

Starts the PlentyONE emulator (with latency on every call) and the Magento emulator in this
process, sets up the demo's client, source and profile (``cli/demo.py``) in a throw-away data
directory with SQLite, and works three exports with the inline executor: the first (every
customer is new), a re-run (nothing changed) and one after a share of the customers changed
in Magento. For each it prints customers per second, PlentyONE reads and writes per customer,
Magento calls, the pace our share of the rate limit would allow at the measured calls per
customer (and how close the run came to it), 429 answers, and peak memory. Then, side by side,
plentysync and the naive connector of ``bench/naive_connector.py`` on the same customers for
the first export and the export after changes: calls, writes per new customer against the
floor (the contacts, addresses and accounts the first export created), and the ratios.

    .venv/bin/python bench/export.py [--customers 2000] [--latency-ms 30] [--mutate-share 0.05]
        [--write-limit W] [--read-limit R] [--window 60] [--sliding] [--share 0.6]
        [--bursts N --burst-every 4.5] [--json]

Without ``--write-limit`` the budgets are so high that latency, not the rate limit, is the
bound. ``--bursts N`` makes the PlentyONE emulator refuse the next N calls with 429 every
``--burst-every`` seconds while an export runs, as contention from other integrations would.
Both emulators live in this process, so both memory figures include them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import resource
import shutil
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bench.naive_connector import NaiveRun, naive_run
from cli.demo import set_up_demo, use_scratch_home
from core.clients import ClientSettings
from core.db.models import Profile, Run
from core.export.deps import ExportDeps
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import open_deps, start_export
from core.plenty import PLAN_BUDGETS
from core.tools.daily_cap import DAY, spend_seconds
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import Faults, RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread

# The most ClientSettings accepts per period: with it the budget is never what holds a run up.
UNBOUNDED = 100_000
MIB = 1024 * 1024


@dataclass(frozen=True)
class Pace:
    """Calls per second our share of the per-user budget allows, as the governor paces them."""

    reads: float
    writes: float

    @classmethod
    def of(cls, read_limit: int, write_limit: int, share: float, window: float) -> Pace:
        # Same arithmetic as core/plenty/_governor.py: floor(limit * share) calls per window.
        return cls(
            reads=max(1, math.floor(read_limit * share)) / window,
            writes=max(1, math.floor(write_limit * share)) / window,
        )


@dataclass
class Phase:
    """What one export did and cost."""

    name: str
    status: str
    customers: int
    created: int
    updated: int
    unchanged: int
    failed: int
    skipped: int
    seconds: float
    per_second: float
    reads: int
    writes: int
    reads_per_customer: float
    writes_per_customer: float
    magento_calls: int
    write_bound: float | None
    read_bound: float | None
    bound_ratio: float | None
    # The inline executor sends one call at a time, so latency alone caps it at this pace.
    latency_bound: float | None
    rate_limited: int
    # What the emulator answered, 429s included: a check on the run's own counts.
    emulator_reads: int
    emulator_writes: int
    rss_peak_mib: float
    traced_peak_mib: float | None


@dataclass
class Comparison:
    """The naive connector's runs over the same customers, and the floor of the first export."""

    naive_first: NaiveRun
    naive_changed: NaiveRun
    # What the first export created in PlentyONE: the fewest writes that could hold it.
    floor_writes: int


class CountingOpener:
    """Opens the run's clients as the inline executor does, and keeps them to read counts."""

    def __init__(self, window: float) -> None:
        self._window = window
        self.deps: ExportDeps | None = None

    def __call__(self, run: Run) -> ExportDeps:
        # The client paces by the emulator's period, which --window may shorten.
        self.deps = open_deps(run, window=self._window)
        return self.deps


def _stats(server: RunningServer) -> dict[str, Any]:
    answer = httpx.get(f"{server.base_url}/_sandbox/stats", timeout=60)
    answer.raise_for_status()
    stats: dict[str, Any] = answer.json()
    return stats


def _metered(stats: dict[str, Any]) -> tuple[int, int]:
    """Reads and writes the emulator answered, leaving out login and logout (not metered)."""
    reads = writes = 0
    for route, count in stats["calls"]["by_route"].items():
        method, template = route.split(" ", 1)
        if template.startswith(("/rest/login", "/rest/logout")):
            continue
        if method == "GET":
            reads += count
        else:
            writes += count
    return reads, writes


def _bound(pace: float, calls_per_customer: float) -> float | None:
    return pace / calls_per_customer if calls_per_customer else None


@dataclass(frozen=True)
class Bursts:
    """429 bursts during an export: ``count`` refused calls every ``every`` seconds."""

    count: int = 0
    every: float = 4.5


@contextmanager
def refusing(plenty: RunningServer, bursts: Bursts) -> Iterator[None]:
    """While the block runs, the emulator refuses ``bursts.count`` calls every period."""
    if bursts.count <= 0:
        yield
        return
    stop = threading.Event()

    def strike() -> None:
        while not stop.wait(bursts.every):
            answer = httpx.post(
                f"{plenty.base_url}/_sandbox/rate-limits/burst",
                json={"count": bursts.count},
                timeout=10,
            )
            answer.raise_for_status()

    striker = threading.Thread(target=strike, name="bursts", daemon=True)
    striker.start()
    try:
        yield
    finally:
        stop.set()
        striker.join()


def run_phase(
    name: str,
    profile: Profile,
    plenty: RunningServer,
    pace: Pace,
    window: float,
    latency: float,
    bursts: Bursts = Bursts(),
) -> Phase:
    """Work one export to its end and measure it."""
    opener = CountingOpener(window)
    before = _stats(plenty)
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()
    started = time.perf_counter()
    # Guest buyers stay out: the figures are per registered customer, the unit of the store.
    run = start_export(profile, RunOptions(guests=False), trigger="manual")
    executor = InlineExecutor(open_run_deps=opener)
    with refusing(plenty, bursts):
        executor.submit(run)
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / MIB if tracemalloc.is_tracing() else None
    finished = executor.finished
    assert finished is not None and opener.deps is not None
    after = _stats(plenty)
    (reads_then, writes_then), (reads_now, writes_now) = _metered(before), _metered(after)
    customers = max(finished.total, 1)
    per_second = finished.total / seconds
    reads_each = finished.api_reads / customers
    writes_each = finished.api_writes / customers
    write_bound = _bound(pace.writes, writes_each)
    read_bound = _bound(pace.reads, reads_each)
    bounds = [b for b in (write_bound, read_bound) if b is not None]
    latency_bound = _bound(1 / latency, reads_each + writes_each) if latency else None
    return Phase(
        name=name,
        status=finished.status,
        customers=finished.total,
        created=finished.created,
        updated=finished.updated,
        unchanged=finished.unchanged,
        failed=finished.failed,
        skipped=finished.skipped,
        seconds=round(seconds, 2),
        per_second=round(per_second, 2),
        reads=finished.api_reads,
        writes=finished.api_writes,
        reads_per_customer=round(reads_each, 4),
        writes_per_customer=round(writes_each, 4),
        magento_calls=opener.deps.magento.calls,
        write_bound=round(write_bound, 2) if write_bound else None,
        read_bound=round(read_bound, 2) if read_bound else None,
        bound_ratio=round(per_second / min(bounds), 3) if bounds else None,
        latency_bound=round(latency_bound, 2) if latency_bound else None,
        rate_limited=after["calls"]["rate_limited"] - before["calls"]["rate_limited"],
        emulator_reads=reads_now - reads_then,
        emulator_writes=writes_now - writes_then,
        rss_peak_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        traced_peak_mib=round(traced, 1) if traced is not None else None,
    )


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _cell(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(phases: list[Phase]) -> None:
    """The figures of every phase, one line each."""
    print(
        f"{'export':<8} {'status':<7} {'cust':>6} {'sec':>7} {'cust/s':>7} {'rd/c':>6} "
        f"{'wr/c':>6} {'magento':>7} {'wr-bound':>8} {'rd-bound':>8} {'ratio':>6} {'lat-bound':>9} "
        f"{'429':>4} {'rss MiB':>7} {'traced':>7}"
    )
    for p in phases:
        print(
            f"{p.name:<8} {p.status:<7} {p.customers:>6} {p.seconds:>7.1f} {p.per_second:>7.1f} "
            f"{p.reads_per_customer:>6.3f} {p.writes_per_customer:>6.3f} {p.magento_calls:>7} "
            f"{_cell(p.write_bound, 1):>8} {_cell(p.read_bound, 1):>8} "
            f"{_cell(p.bound_ratio, 3):>6} {_cell(p.latency_bound, 1):>9} {p.rate_limited:>4} "
            f"{p.rss_peak_mib:>7.1f} {_cell(p.traced_peak_mib, 1):>7}"
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=30.0, help="PlentyONE, every call")
    parser.add_argument("--mutate-share", type=float, default=0.05)
    parser.add_argument(
        "--write-limit", type=int, help=f"PlentyONE writes per window (default {UNBOUNDED})"
    )
    parser.add_argument("--read-limit", type=int, help="reads per window (default 2x writes)")
    parser.add_argument("--window", type=float, default=60.0, help="rate-limit period, seconds")
    parser.add_argument("--sliding", action="store_true", help="a sliding rate-limit window")
    parser.add_argument("--share", type=float, default=0.6, help="budget share of the client")
    parser.add_argument("--bursts", type=int, default=0, help="429s per burst (default none)")
    parser.add_argument("--burst-every", type=float, default=4.5, help="seconds between bursts")
    # Tracing every allocation slows the export about fivefold, so it is asked for separately.
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python memory")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    for limit in (args.write_limit, args.read_limit):
        if limit is not None and not 1 <= limit <= UNBOUNDED:
            parser.error(f"limits must be between 1 and {UNBOUNDED} calls per window")
    return args


def measure_exports(
    args: argparse.Namespace, read_limit: int, write_limit: int, pace: Pace
) -> tuple[list[Phase], int, dict[str, Any], Comparison]:
    """Serve both emulators, set up the demo profile and measure the three exports."""
    limits = RateLimits(
        short_read=read_limit,
        short_write=write_limit,
        long_read=10**8,
        long_write=10**8,
        short_period_s=args.window,
        window_mode="sliding" if args.sliding else "fixed",
    )
    plenty_config = SandboxConfig(limits=limits, faults=Faults(latency_ms=args.latency_ms))
    shop_config = MagentoSandboxConfig(customers=args.customers, seed=args.seed, orders=args.orders)
    settings = ClientSettings(
        plan=None,
        read_per_minute=read_limit,
        write_per_minute=write_limit,
        read_per_day=10**8,
        write_per_day=10**8,
        budget_share=args.share,
    )
    phases: list[Phase] = []
    with (
        serve_in_thread(plenty_app(plenty_config)) as plenty,
        serve_in_thread(magento_app(shop_config)) as shop,
    ):
        profile, _ = set_up_demo(plenty.base_url, shop.base_url, settings)
        if args.tracemalloc:
            tracemalloc.start()

        def measure(name: str) -> None:
            bursts = Bursts(args.bursts, args.burst_every)
            latency = args.latency_ms / 1000
            phase = run_phase(name, profile, plenty, pace, args.window, latency, bursts)
            phases.append(phase)
            _say(
                f"{name}: {phase.status}, {phase.customers} customers in {phase.seconds:.1f} s, "
                f"created {phase.created}, updated {phase.updated}, unchanged "
                f"{phase.unchanged}, failed {phase.failed}; {phase.reads} reads, "
                f"{phase.writes} writes (the emulator answered {phase.emulator_reads} reads, "
                f"{phase.emulator_writes} writes)"
            )

        naive_first = naive_run(shop.base_url)
        empty = _stats(plenty)
        measure("first")
        filled = _stats(plenty)
        floor = sum(filled[k] - empty[k] for k in ("contacts", "addresses", "accounts"))
        measure("rerun")
        count = max(1, int(args.customers * args.mutate_share))
        answer = httpx.post(f"{shop.base_url}/_sandbox/mutate", json={"count": count}, timeout=60)
        answer.raise_for_status()
        mutated = len({m["customer_id"] for m in answer.json()["mutations"]})
        _say(f"{mutated} customers changed in Magento")
        naive_changed = naive_run(shop.base_url)
        measure("changed")
        return phases, mutated, _stats(plenty), Comparison(naive_first, naive_changed, floor)


def main() -> None:
    args = _arguments()
    write_limit = args.write_limit or UNBOUNDED
    read_limit = args.read_limit or min(UNBOUNDED, write_limit * 2)
    pace = Pace.of(read_limit, write_limit, args.share, args.window)
    home = use_scratch_home("plentysync-bench-")
    try:
        phases, mutated, final, comparison = measure_exports(args, read_limit, write_limit, pace)
    finally:
        tracemalloc.stop()
        if args.keep:
            _say(f"data directory kept: {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    report(args, phases, mutated, final, pace, comparison)
    problems = _problems(phases, final)
    for problem in problems:
        _say(f"problem: {problem}")
    if problems:
        raise SystemExit(1)


def report(
    args: argparse.Namespace,
    phases: list[Phase],
    mutated: int,
    stats: dict[str, Any],
    pace: Pace,
    comparison: Comparison,
) -> None:
    """The tables (or JSON) with what the emulator holds at the end."""
    holdings = {
        "contacts": stats["contacts"],
        "addresses": stats["addresses"],
        "accounts": stats["accounts"],
        "duplicates_by_identity": stats["duplicate_contacts_by_external_id"],
        "duplicates_by_email": stats["duplicate_contacts_by_email"],
    }
    if args.json:
        document = {
            "arguments": vars(args),
            "allowed_per_second": dataclasses.asdict(pace),
            "mutated": mutated,
            "phases": [dataclasses.asdict(p) for p in phases],
            "plenty": holdings,
            "comparison": compare(phases, comparison),
        }
        print(json.dumps(document, indent=2))
        return
    print(
        f"customers {args.customers}, latency {args.latency_ms:g} ms, window {args.window:g} s, "
        f"share {args.share:g}: our share allows {pace.writes:.1f} writes/s, "
        f"{pace.reads:.1f} reads/s; {mutated} customers changed before the last export"
    )
    print_table(phases)
    print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in holdings.items()))
    print()
    print_comparison(compare(phases, comparison))


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def compare(phases: list[Phase], comparison: Comparison) -> dict[str, Any]:
    """plentysync beside the naive connector: calls, writes per new customer, the floor."""
    ours = {p.name: p for p in phases}
    first, changed = ours["first"], ours["changed"]
    naive_first, naive_changed = comparison.naive_first, comparison.naive_changed
    floor_each = comparison.floor_writes / first.created if first.created else None
    ours_each = first.writes / first.created if first.created else None
    naive_each = naive_first.writes / naive_first.customers if naive_first.customers else None
    rows = [
        ("first", "plentysync", first.reads, first.writes, ours_each),
        ("first", "naive", naive_first.reads, naive_first.writes, naive_each),
        ("changed", "plentysync", changed.reads, changed.writes, None),
        ("changed", "naive", naive_changed.reads, naive_changed.writes, None),
    ]
    return {
        "rows": [
            {
                "export": export,
                "connector": connector,
                "calls": reads + writes,
                "reads": reads,
                "writes": writes,
                "writes_per_new_customer": None if each is None else round(each, 3),
                "floor_per_new_customer": (
                    None if each is None or floor_each is None else round(floor_each, 3)
                ),
                "writes_to_floor": None
                if each is None or not floor_each
                else _ratio(each, floor_each),
            }
            for export, connector, reads, writes, each in rows
        ],
        "floor_writes": comparison.floor_writes,
        "naive_to_ours_calls_first": _ratio(naive_first.calls, first.reads + first.writes),
        "naive_to_ours_calls_changed": _ratio(naive_changed.calls, changed.reads + changed.writes),
        "naive_to_ours_writes_per_new_customer": (
            _ratio(naive_each, ours_each) if naive_each and ours_each else None
        ),
        "goals": goals(first, changed, naive_changed, ours_each, floor_each),
        "days_for_100k_at_the_write_cap": days_at_cap(ours_each),
    }


# The goals for the first export and the re-sync with 5 % changed.
GOAL_WRITES_PER_NEW = 2.75
GOAL_OVER_FLOOR = 1.03
GOAL_RESYNC_RATIO = 50.0


def goals(
    first: Phase,
    changed: Phase,
    naive_changed: NaiveRun,
    ours_each: float | None,
    floor_each: float | None,
) -> dict[str, bool | None]:
    """Whether the figures meet the goals (None: not measurable in this run)."""
    ours_changed = changed.reads + changed.writes
    return {
        "writes_per_new_customer_at_most_2.75": (
            None if ours_each is None else ours_each <= GOAL_WRITES_PER_NEW
        ),
        "within_3_percent_of_the_floor": (
            None if not ours_each or not floor_each else ours_each <= floor_each * GOAL_OVER_FLOOR
        ),
        "resync_at_least_50x_fewer_calls": (
            naive_changed.calls >= GOAL_RESYNC_RATIO * ours_changed if ours_changed else True
        ),
        "first_export_done": first.status == "done",
    }


def days_at_cap(writes_per_new: float | None, customers: int = 100_000) -> dict[str, float]:
    """Days a first export of ``customers`` takes on each plan at the 60 % default share."""
    if not writes_per_new:
        return {}
    days = {}
    for plan in ("basic", "plus"):
        budget = PLAN_BUDGETS[plan]
        per_day = math.floor(budget.writes_per_day * 0.6)
        seconds = spend_seconds(
            customers * writes_per_new, per_day, budget.writes_per_minute * 0.6, per_day, DAY
        )
        days[plan] = round(seconds / DAY, 1)
    return days


def print_comparison(figures: dict[str, Any]) -> None:
    """The side-by-side table of ``compare``."""
    print(
        "plentysync and a naive connector on the same customers "
        f"(floor: the {figures['floor_writes']} contacts, addresses and accounts created)"
    )
    print(
        f"{'export':<8} {'connector':<10} {'calls':>7} {'reads':>7} {'writes':>7} "
        f"{'wr/new':>7} {'floor/new':>9} {'wr/floor':>8}"
    )
    for row in figures["rows"]:
        print(
            f"{row['export']:<8} {row['connector']:<10} {row['calls']:>7} {row['reads']:>7} "
            f"{row['writes']:>7} {_cell(row['writes_per_new_customer'], 3):>7} "
            f"{_cell(row['floor_per_new_customer'], 3):>9} {_cell(row['writes_to_floor']):>8}"
        )
    print(
        f"naive / plentysync: calls {_cell(figures['naive_to_ours_calls_first'])}x on the first "
        f"export, {_cell(figures['naive_to_ours_calls_changed'])}x after changes; writes per new "
        f"customer {_cell(figures['naive_to_ours_writes_per_new_customer'])}x"
    )
    met = ", ".join(
        f"{name.replace('_', ' ')}: {'-' if ok is None else 'yes' if ok else 'NO'}"
        for name, ok in figures["goals"].items()
    )
    print(f"goals: {met}")
    days = figures["days_for_100k_at_the_write_cap"]
    if days:
        print(
            "100,000 new customers at these writes per customer, 60 % share: "
            + ", ".join(f"{plan} {d:g} days" for plan, d in days.items())
            + " at the daily write cap"
        )


def _problems(phases: list[Phase], stats: dict[str, Any]) -> list[str]:
    """What makes the figures meaningless: a failed run, a re-run that wrote, duplicates."""
    problems = [f"{p.name} export ended {p.status}" for p in phases if p.status != "done"]
    rerun = next(p for p in phases if p.name == "rerun")
    if rerun.writes:
        problems.append(f"the re-run wrote {rerun.writes} times although nothing changed")
    if stats["duplicate_contacts_by_external_id"]:
        problems.append(f"{stats['duplicate_contacts_by_external_id']} duplicate contacts")
    return problems


if __name__ == "__main__":
    main()
