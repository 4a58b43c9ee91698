"""Benchmark: how long a customer queued during a budget-bound first export waits for PlentyONE.

Serves both emulators in this process, sets up the demo profile (``cli/demo.py``) with a
short rate-limit period so the first export is bound by the write budget, and works the
first export with the inline executor in a thread. While it runs, the bench queues one
customer at a time - the one with the highest id, which the bulk export (id order) reaches
last - and measures until that customer's result is recorded: the seconds it waited and how
many bulk batches ended in between. Beside it, what the customer would have waited without
the front batch: the rest of the bulk run (a drain starts only after it).

    .venv/bin/python bench/new_registration_latency.py [--customers 300] [--samples 3]
        [--batch-size 20] [--write-limit 40] [--window 2] [--share 0.6] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from cli.demo import set_up_demo, use_scratch_home
from core.clients import ClientSettings
from core.db.models import Profile, Run, RunBatch, RunItem
from core.export import queue
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import open_deps, start_export
from core.profiles.service import profile_settings, save_profile
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread

POLL_S = 0.02


@dataclass(frozen=True)
class Sample:
    """One customer queued during the bulk export."""

    key: str
    queued_after_bulk_batches: int
    seconds: float  # from the queue to its recorded result
    bulk_batches_between: int  # bulk batches that ended while it waited
    bulk_left_s: float  # what it would have waited behind the bulk run (until the run ended)
    bulk_batches_left: int


def _bulk_done(run_id: int) -> int:
    return int(
        RunBatch.select()
        .where((RunBatch.run == run_id) & (RunBatch.sequence >= 0) & (RunBatch.status == "done"))
        .count()
    )


def _recorded(run_id: int, key: str) -> bool:
    return bool(
        RunItem.select()
        .where((RunItem.run == run_id) & (RunItem.entity_key == key) & RunItem.final)
        .exists()
    )


def _wait_until(check: Any, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the export did not get there in time")
        time.sleep(POLL_S)


def measure(args: argparse.Namespace) -> tuple[list[Sample], dict[str, Any]]:
    limits = RateLimits(
        short_read=args.write_limit * 4,
        short_write=args.write_limit,
        long_read=10**8,
        long_write=10**8,
        short_period_s=args.window,
    )
    # The client paces by the emulator's period (``window`` below): its budget is per period.
    settings = ClientSettings(
        plan=None,
        read_per_minute=args.write_limit * 4,
        write_per_minute=args.write_limit,
        read_per_day=10**8,
        write_per_day=10**8,
        budget_share=args.share,
    )
    shop_config = MagentoSandboxConfig(customers=args.customers, seed=7, orders=0)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(shop_config)) as shop,
    ):
        profile, _ = set_up_demo(plenty.base_url, shop.base_url, settings)
        chosen = profile_settings(profile)
        chosen.schedule.process_batch_size = args.batch_size
        save_profile(profile, chosen)
        profile = Profile.get_by_id(profile.id)
        run = start_export(profile, RunOptions(guests=False), trigger="manual")
        executor = InlineExecutor(open_run_deps=lambda r: open_deps(r, window=args.window))
        started = time.perf_counter()
        worker = threading.Thread(target=executor.submit, args=(run,), daemon=True)
        worker.start()
        _wait_until(lambda: Run.get_by_id(run.id).enumerated)
        batches = int(RunBatch.select().where(RunBatch.run == run.id).count())
        # (key, bulk batches done when queued, queued at, exported at, bulk batches done then)
        seen: list[tuple[str, int, float, float, int]] = []
        samples_at = [max(1, batches * (i + 1) // (args.samples + 2)) for i in range(args.samples)]
        for number, after in enumerate(samples_at):
            _wait_until(lambda after=after: _bulk_done(run.id) >= after)
            key = str(args.customers - number)  # the last ones the id order reaches
            done_then = _bulk_done(run.id)
            queued_at = time.perf_counter()
            queue.enqueue(profile.id, [key])
            _wait_until(lambda key=key: _recorded(run.id, key))
            seen.append((key, done_then, queued_at, time.perf_counter(), _bulk_done(run.id)))
        worker.join()
        ended = time.perf_counter()
        finished = executor.finished
        assert finished is not None
    samples = [
        Sample(
            key=key,
            queued_after_bulk_batches=done_then,
            seconds=round(exported_at - queued_at, 2),
            bulk_batches_between=done_later - done_then,
            bulk_left_s=round(ended - queued_at, 1),
            bulk_batches_left=batches - done_then,
        )
        for key, done_then, queued_at, exported_at, done_later in seen
    ]
    run_figures = {
        "status": finished.status,
        "customers": finished.total,
        "bulk_batches": batches,
        "seconds": round(ended - started, 1),
        "writes": finished.api_writes,
        "writes_per_second": round(finished.api_writes / (ended - started), 2),
        "allowed_writes_per_second": round(args.write_limit * args.share / args.window, 2),
    }
    return samples, run_figures


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--write-limit", type=int, default=40, help="writes per period")
    parser.add_argument("--window", type=float, default=2.0, help="rate-limit period, seconds")
    parser.add_argument("--share", type=float, default=0.6)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    home = use_scratch_home("plentysync-bench-")
    try:
        samples, run = measure(args)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if args.json:
        print(json.dumps({"run": run, "samples": [asdict(s) for s in samples]}, indent=2))
        return
    print(
        f"first export: {run['customers']} customers in {run['bulk_batches']} bulk batches of "
        f"{args.batch_size}, {run['seconds']} s, {run['writes_per_second']} writes/s of the "
        f"{run['allowed_writes_per_second']} our share allows ({run['status']})"
    )
    print(
        f"{'customer':>8} {'queued after':>12} {'waited s':>8} {'bulk between':>12} "
        f"{'behind bulk s':>13} {'bulk left':>9}"
    )
    for s in samples:
        print(
            f"{s.key:>8} {s.queued_after_bulk_batches:>12} {s.seconds:>8.2f} "
            f"{s.bulk_batches_between:>12} {s.bulk_left_s:>13.1f} {s.bulk_batches_left:>9}"
        )
    worst = max((s.bulk_batches_between for s in samples), default=0)
    print(f"at most {worst} bulk batch(es) ended between queueing a customer and its export")
    if worst > 1:
        print("problem: a queued customer waited behind more than one bulk batch", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
