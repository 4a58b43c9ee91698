"""A load across days: a one-day long period in the sandbox, our share of it, who gets in.

The PlentyONE sandbox's long period is set to one day of 100 writes; at a 60 % share the
governor stops after 60 of them until the period resets. With ``recent_first``, the
customers exported in that first day are exactly the ones the order puts first, and the
days estimate counts the rest from PlentyONE's own headers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from core.clients import ClientSettings, create_client
from core.db.models import CustomerLink, Profile, Run
from core.export import runs
from core.export.batch import export_batch
from core.export.enumerate import run_keys
from core.export.inline import prepare
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from core.plenty import load_long_period
from core.tools.daily_cap import DAY, daily_cap, spend_seconds
from tests.core.export.conftest import FAST, Shop

DAY_WRITES = 100
SHARE = 0.6


def _one_day_client(shop: Shop) -> None:
    shop.plenty_config({"limits": {"long_write": DAY_WRITES, "long_period_s": DAY}})
    create_client(
        name="erp",
        base_url=shop.plenty.base_url,
        username="api-user",
        password="api-password",
        settings=ClientSettings(
            plan=None,
            read_per_minute=100_000,
            write_per_minute=100_000,
            write_per_day=DAY_WRITES,
            budget_share=SHARE,
        ),
    )


def _first_day(profile: Profile) -> tuple[Run, list[str]]:
    """Work batches in order until the day's share is spent; the run and its key order."""
    run = start_export(profile, RunOptions(guests=False))
    deps = open_deps(run, **FAST)
    try:
        prepare(deps, run)
        # Before any batch is worked: a batch given back keeps only the keys it has not done.
        order = run_keys(run.id)
        runs.start_run(run.id)
        while True:
            batch_id, _ = runs.next_due_batch(run.id)
            assert batch_id is not None, "the day's share outlasted the run"
            batch = runs.lease_batch(batch_id, deps.owner)
            assert batch is not None
            if export_batch(deps, batch).status == "waiting":
                break
    finally:
        close_deps(deps)
    return Run.get_by_id(run.id), order


def _exported() -> set[str]:
    return {
        row.entity_key
        for row in CustomerLink.select().where(CustomerLink.entity_type == "customer")
    }


def test_the_first_days_share_holds_the_customers_the_order_puts_first(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    _one_day_client(shop)
    profile = make_profile({"customer": {"export_order": "recent_first"}})
    _run, order = _first_day(profile)
    exported = _exported()
    calls = shop.stats()["calls"]
    writes = sum(n for method, n in calls["by_method"].items() if method not in ("GET", "HEAD"))
    assert writes <= math.floor(DAY_WRITES * SHARE) + 2  # our share (and the logins)
    assert calls["rate_limited"] == 0
    assert len(exported) >= 12
    # Every customer in PlentyONE after day one is one of the first in the order ...
    assert exported == set(order[: len(exported)])
    # ... and they are not simply the oldest accounts.
    assert exported != {str(i) for i in range(1, len(exported) + 1)}

    seen = load_long_period(shop.plenty.base_url, "write")
    assert seen is not None and seen.limit == DAY_WRITES
    assert seen.calls_left <= math.ceil(DAY_WRITES * (1 - SHARE))
    left_writes = 500.0
    cap = daily_cap(profile.client, left_writes)
    assert cap.source == "headers" and cap.left_now == 0 and cap.per_period == 60
    # The rest waits for the reset PlentyONE announced, then goes at 60 a day.
    resets_in = seen.at + float(seen.decay or 0) - time.time()
    assert abs(cap.resets_in_s - resets_in) < 5
    expected = spend_seconds(left_writes, 60, cap.per_minute, 0, cap.resets_in_s)
    assert abs(cap.seconds - expected) < 1
    # 500 writes: nothing left today, eight full periods of 60, the last 20 on the tenth day.
    assert 8.95 < cap.days < 9.01
