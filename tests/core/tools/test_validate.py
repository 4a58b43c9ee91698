"""validate against the sandboxes: the mapping lint counts what real customers use; the ETA."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from core.clients import ClientSettings, update_client
from core.db.models import Profile
from core.tools.estimate import (
    DEFAULT_READS_PER_CUSTOMER,
    duration_seconds,
    estimate_export,
    format_duration,
)
from core.tools.validate import validate_profile
from tests.core.export.conftest import CUSTOMERS, Shop, export


def test_unmapped_group_is_named_with_its_count(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    report = validate_profile(profile)
    assert report.ok and report.scanned == CUSTOMERS
    groups = Counter(shop.dataset.customer(i)["group_id"] for i in range(1, CUSTOMERS + 1))
    unmapped = {str(g): n for g, n in groups.items() if g != 2}  # the profile maps group 2 only
    found = {f.value: f for f in report.findings if f.kind == "group"}
    assert {k: f.customers for k, f in found.items()} == unmapped
    some = next(iter(found.values()))
    assert f"used by {some.customers} customers" in some.message
    assert "default_group 1" in some.message


def test_unmapped_prefix_and_store_are_counted(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(
        {
            "customer": {"gender_mapping": [{"prefix": "Mr.", "gender": "male"}]},
            "store": {
                "is_active_store_filter": True,
                "store_mapping": [{"store_id": 3, "plenty_id": 12345, "locale": "de"}],
            },
        }
    )
    report = validate_profile(profile)
    kinds = Counter(f.kind for f in report.findings)
    assert kinds["prefix"] >= 1 and kinds["store"] >= 1
    assert all(f.value != "Mr." for f in report.findings if f.kind == "prefix")
    skipped = sum(f.customers for f in report.findings if f.kind == "store")
    run = export(profile, guests=False)
    assert skipped == run.skipped


def test_estimate_uses_defaults_then_the_last_run(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    before = estimate_export(profile, CUSTOMERS)
    assert before.measured_run is None and before.linked == 0
    assert before.writes_per_customer == 3.0  # addresses are exported by this profile
    assert before.reads_per_customer == DEFAULT_READS_PER_CUSTOMER
    # Two thirds of the shop, so that what is left takes visibly less time than all of it.
    run = export(profile, guests=False, entity_ids=list(range(1, CUSTOMERS * 2 // 3 + 1)))
    after = estimate_export(profile, CUSTOMERS)
    assert after.measured_run == run.id
    assert after.writes_per_customer == pytest.approx(
        run.api_writes / (run.created + run.updated), abs=0.001
    )
    assert after.linked == run.created
    assert after.pending_seconds < after.full_seconds


def test_estimate_follows_plan_and_share(make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    update_client(profile.client, settings=ClientSettings(plan="basic", budget_share=0.5))
    profile = Profile.get_by_id(profile.id)
    estimate = estimate_export(profile, 10_000)
    # basic: 40 writes a minute, half of it ours; 3 writes per customer by default.
    assert estimate.writes_per_minute == 20
    assert estimate.full_seconds == pytest.approx(duration_seconds(30_000, 20, 8_640))


def test_duration_waits_for_the_next_day_when_the_daily_budget_is_spent() -> None:
    assert duration_seconds(0, 10, 100) == 0
    assert duration_seconds(60, 60, 10_000) == 60
    # 250 calls at 100 a day: two full days, then 50 calls at 10 a minute.
    assert duration_seconds(250, 10, 100) == 2 * 86_400 + 300
    assert format_duration(2 * 86_400 + 3 * 3600) == "2 d 3 h"
    assert format_duration(125) == "2 min 5 s"
