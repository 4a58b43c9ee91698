"""The cost of one TUI dashboard poll: the façade call the dashboard makes every second.

A scratch data directory with SQLite, the demo's client and source on the sandboxes, 20
profiles, 50,000 queued customers spread over them (a share failed), a few finished runs per
profile and a running one with a minute-by-minute trail of results (what the sparklines
read). Then ``tui.services.Services.dashboard()`` is called ``--polls`` times; the script
prints milliseconds per poll (median, p95, max) and the SQL statements one poll sends
(counted by SQLite's trace callback on the poll's own connection).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import time
from collections import Counter

from cli.demo import set_up_demo, use_scratch_home
from core.clients import ClientSettings
from core.db.connection import database
from core.db.models import Profile, QueueItem, Run, RunItem, utcnow
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from tui.services import Services


def seed(profiles: int, queued: int, now: dt.datetime) -> None:
    """``profiles`` profiles like the demo's, ``queued`` queue items and runs over them."""
    demo = Profile.get(Profile.name == "demo")
    made = [demo] + [
        Profile.create(
            name=f"shop-{n:02d}", client=demo.client, source=demo.source, settings=demo.settings
        )
        for n in range(1, profiles)
    ]
    per = queued // len(made)
    for index, profile in enumerate(made):
        rows = [
            {
                "profile": profile.id,
                "entity_type": "customer",
                "entity_key": str(key),
                "status": "failed" if key % 20 == 0 else "pending",
                "last_error_class": "ValidationError" if key % 20 == 0 else "",
                "next_attempt_at": now + dt.timedelta(seconds=key % 600),
            }
            for key in range(per + (queued - per * len(made) if index == 0 else 0))
        ]
        with database.atomic():
            for start in range(0, len(rows), 500):
                QueueItem.insert_many(rows[start : start + 500]).execute()
        for age in range(1, 5):
            Run.create(
                profile=profile,
                trigger="schedule",
                status="done",
                total=1000,
                created=900,
                unchanged=100,
                enumerated=True,
                created_at=now - dt.timedelta(hours=age),
                started_at=now - dt.timedelta(hours=age),
                finished_at=now - dt.timedelta(hours=age, minutes=-20),
            )
        running = Run.create(
            profile=profile,
            trigger="manual",
            status="running",
            total=2000,
            created=600,
            enumerated=True,
            created_at=now - dt.timedelta(minutes=30),
            started_at=now - dt.timedelta(minutes=30),
            last_progress_at=now,
        )
        RunItem.insert_many(
            [
                {
                    "run": running.id,
                    "entity_type": "customer",
                    "entity_key": str(n),
                    "action": "created",
                    "created_at": now - dt.timedelta(seconds=3 * n),
                }
                for n in range(600)
            ]
        ).execute()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=20)
    parser.add_argument("--queued", type=int, default=50_000)
    parser.add_argument("--polls", type=int, default=50)
    args = parser.parse_args()

    home = use_scratch_home("plentysync-bench-tui-")
    try:
        with (
            serve_in_thread(plenty_app(SandboxConfig())) as plenty,
            serve_in_thread(magento_app(MagentoSandboxConfig(customers=10, orders=0))) as shop,
        ):
            set_up_demo(
                plenty.base_url,
                shop.base_url,
                ClientSettings(plan=None, read_per_minute=200, write_per_minute=100),
            )
        now = utcnow()
        started = time.perf_counter()
        seed(args.profiles, args.queued, now)
        print(
            f"seeded {args.profiles} profiles, {QueueItem.select().count():,} queue items, "
            f"{RunItem.select().count():,} run items in {time.perf_counter() - started:.1f} s"
        )
        services = Services()
        services.open()
        services.dashboard()  # warm: imports, the first connection, SQLite's page cache
        statements: list[str] = []
        database.connection().set_trace_callback(statements.append)
        timings = []
        for _ in range(args.polls):
            statements.clear()
            begun = time.perf_counter()
            board = services.dashboard()
            timings.append((time.perf_counter() - begun) * 1000)
        database.connection().set_trace_callback(None)
        assert len(board.rows) == args.profiles, "every profile has a dashboard row"
        ordered = sorted(timings)
        p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
        print(
            f"dashboard poll ({args.profiles} profiles, {args.queued:,} queued, sqlite): "
            f"median {statistics.median(timings):.1f} ms · p95 {p95:.1f} ms · "
            f"max {ordered[-1]:.1f} ms over {args.polls} polls"
        )
        print(f"SQL statements per poll: {len(statements)}")
        shapes = Counter(re.sub(r"\d+|'[^']*'", "?", sql)[:90] for sql in statements)
        print("most repeated statements of one poll:")
        for shape, count in shapes.most_common(5):
            print(f"  {count:>4} x {shape}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
