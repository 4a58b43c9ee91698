"""Failures no customer caused, mid-run: a lock past the busy timeout, a full disk, a 429
storm with revoked tokens. Each ends with every exportable customer exported once."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from core.db.connection import database
from core.db.models import Profile, Run, RunItem
from core.errors import DiskFullError
from core.export.inline import execute_inline
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from tests.core.export.conftest import FAST, Shop
from worker.jobs import resume_run

IDS = list(range(1, 61))
SMALL_BATCHES = {"schedule": {"process_batch_size": 10}}


def _fast_sleep(seconds: float) -> None:
    time.sleep(min(seconds, 0.2))


def _work(run: Run, progress: Callable[[Run], None] | None = None) -> Run:
    deps = open_deps(run, **FAST)
    deps.park_delay = dt.timedelta(seconds=1)
    try:
        return execute_inline(deps, run.id, progress=progress, sleep=_fast_sleep)
    finally:
        close_deps(deps)


def _assert_everyone_once(shop: Shop, run: Run) -> None:
    """Every customer the data allows is a contact, once; failures are the data's, not ours."""
    contacts = shop.contacts()
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0
    ours = [c for c in contacts if str(c.get("externalId", "")).startswith("shop-eu:c:")]
    failed = RunItem.select().where((RunItem.run == run.id) & (RunItem.action == "failed"))
    reasons = [item.message for item in failed]
    assert not [r for r in reasons if "locked" in r or "disk full" in r or "database" in r]
    assert len(ours) + len({item.entity_key for item in failed}) == len(IDS)


def _hold_write_lock(path: str, seconds: float, held: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    other.execute("ROLLBACK")
    other.close()


def test_a_lock_held_past_the_busy_timeout_retries_the_batch_not_the_run(
    shop: Shop,
    make_profile: Callable[..., Profile],
    export_db: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = start_export(make_profile(SMALL_BATCHES), RunOptions(entity_ids=IDS, guests=False))
    database.execute_sql("PRAGMA busy_timeout = 200")  # this connection gives up quickly
    holders: list[threading.Thread] = []

    def lock_once(current: Run) -> None:
        if not holders:
            held = threading.Event()
            holder = threading.Thread(target=_hold_write_lock, args=(export_db, 1.5, held))
            holder.start()
            holders.append(holder)
            held.wait(5)

    finished = _work(run, progress=lock_once)
    holders[0].join()
    assert finished.status == "done", finished.error
    assert "stayed locked" in caplog.text  # the lock was met, and waited out
    _assert_everyone_once(shop, finished)


def test_a_full_disk_stops_the_run_with_one_line_and_the_run_resumes(
    shop: Shop, make_profile: Callable[..., Profile], export_db: str
) -> None:
    run = start_export(make_profile(SMALL_BATCHES), RunOptions(entity_ids=IDS, guests=False))
    limited: list[int] = []

    def fill_the_disk(current: Run) -> None:
        if not limited:
            pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
            database.execute_sql(f"PRAGMA max_page_count = {pages}")
            limited.append(pages)

    with pytest.raises(DiskFullError) as caught:
        _work(run, progress=fill_the_disk)
    line = f"disk full at {Path(export_db)}: free space, then plentysync run resume {run.id}"
    assert str(caught.value) == line
    stopped = Run.get_by_id(run.id)
    assert stopped.status == "failed" and stopped.error == line

    database.execute_sql("PRAGMA max_page_count = 1073741823")  # space freed
    assert resume_run(run.id, None)
    finished = _work(Run.get_by_id(run.id))
    assert finished.status == "done", finished.error
    _assert_everyone_once(shop, finished)


def _revoke_at(shop: Shop, refusals: tuple[int, ...], done: threading.Event) -> None:
    """Revoke every PlentyONE token when the storm's n-th 429 has been answered."""
    base = shop.stats()["calls"]["rate_limited"]
    pending = list(refusals)
    deadline = time.monotonic() + 60
    while pending and time.monotonic() < deadline:
        if shop.stats()["calls"]["rate_limited"] - base >= pending[0]:
            httpx.post(f"{shop.plenty.base_url}/_sandbox/tokens/revoke", json={})
            pending.pop(0)
        time.sleep(0.02)
    done.set()


def test_a_429_storm_with_the_token_revoked_twice_does_not_fail_the_run(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    shop.plenty_config({"limits": {"short_period_s": 1.0}})  # a 429 asks for a 1 s wait
    run = start_export(make_profile(SMALL_BATCHES), RunOptions(entity_ids=IDS, guests=False))
    logins_before = shop.stats()["sessions"]["logins"]
    revoked = threading.Event()
    revoker: list[threading.Thread] = []

    def storm_after_the_first_batch(current: Run) -> None:
        if not revoker:
            revoker.append(threading.Thread(target=_revoke_at, args=(shop, (1, 3), revoked)))
            httpx.post(f"{shop.plenty.base_url}/_sandbox/rate-limits/burst", json={"count": 6})
            revoker[0].start()

    finished = _work(run, progress=storm_after_the_first_batch)
    assert revoked.wait(60)
    assert finished.status == "done", finished.error
    stats = shop.stats()
    assert stats["calls"]["rate_limited"] >= 6
    assert stats["sessions"]["logins"] - logins_before >= 2  # a new login per revocation
    assert stats["sessions"]["max_concurrent_sessions"] == 1
    _assert_everyone_once(shop, finished)
