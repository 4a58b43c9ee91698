"""Failures and races: the same final state, no duplicate, nothing lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from core.db.models import Profile, Run, RunItem
from tests.core.export.conftest import Shop, export

IDS = list(range(1, 81))
SHAPE = ("contacts", "addresses", "address_relations", "accounts", "account_relations")


def _shape(shop: Shop) -> dict[str, Any]:
    stats = shop.stats()
    return {key: stats[key] for key in SHAPE}


@pytest.mark.slow  # a fault scenario: timeouts hang and late writes land before the next try
def test_faults_end_in_the_same_state_as_a_clean_run(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    clean = export(make_profile(name="clean"), entity_ids=IDS, guests=False)
    expected = _shape(shop)
    assert clean.status == "done" and expected["contacts"] > 0
    httpx.post(f"{shop.plenty.base_url}/_sandbox/reset").raise_for_status()

    shop.plenty_config(
        {
            "faults": {
                "seed": 3,
                "error_rate": 0.1,
                "timeout_rate": 0.1,
                "timeout_hang_s": 1.5,
                "late_apply_s": 1.0,
                "timeout_outcomes": {"not_applied": 1, "applied": 1, "applied_late": 1},
            }
        }
    )
    profile = make_profile(name="faulty")
    faulty = export(profile, park_seconds=3.5, entity_ids=IDS, guests=False)
    stats = shop.stats()
    assert stats["calls"]["by_status"].get("504", 0) > 0, "no timeout was injected"
    assert sum(v for k, v in stats["calls"]["by_status"].items() if k.startswith("50")) > 10
    assert faulty.status == "done"
    assert faulty.failed == clean.failed  # only the dirty records, nothing lost to faults
    # Creates applied late or at once behind a timeout are creates, counted once each.
    assert faulty.created == clean.created == stats["contacts"]
    items = RunItem.select().where(RunItem.run == faulty.id)
    assert items.count() == len({i.entity_key for i in items}) == len(IDS)

    shop.plenty_config({"faults": {"error_rate": 0.0, "timeout_rate": 0.0}})
    again = export(profile, entity_ids=IDS, guests=False)
    assert again.created == 0
    final = shop.stats()
    assert final["duplicate_contacts_by_external_id"] == 0
    assert _shape(shop) == expected


def test_two_runs_at_once_create_each_contact_once(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    shop.plenty_config({"faults": {"latency_ms": 5}})
    runs: list[Run] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            runs.append(export(profile, park_seconds=1.0, entity_ids=IDS, guests=False))
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not errors
    assert [r.status for r in runs] == ["done", "done"]
    stats = shop.stats()
    assert stats["duplicate_contacts_by_external_id"] == 0
    created = sum(r.created for r in runs)
    assert created == stats["contacts"]
    assert stats["contacts"] == len(IDS) - runs[0].failed
