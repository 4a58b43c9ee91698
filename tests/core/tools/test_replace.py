"""replace against the sandboxes: exact count, only our contacts, orders kept, full backup."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable

import httpx
import pytest

from core.db.models import CustomerLink, Profile
from core.export.runs import RunOptions, run_options
from core.export.service import start_export
from core.tools.replace import (
    CountMismatch,
    backup_dir,
    plan_replace,
    replace_contacts,
    write_backup,
)
from tests.core.export.conftest import CUSTOMERS, Shop, export
from tests.core.tools.conftest import clean_ids


def _ours(shop: Shop) -> dict[str, dict[str, object]]:
    return {c["externalId"]: c for c in shop.contacts() if c.get("externalId")}


def test_replace_deletes_only_what_we_own_and_backs_it_up(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    ids = clean_ids(shop, 8)
    export(profile, guests=False, entity_ids=ids)
    base = shop.plenty.base_url
    foreign = httpx.post(
        f"{base}/_sandbox/contacts",
        json=[{"typeId": 1, "referrerId": 1, "lastName": "Foreign", "externalId": "crm:77"}],
    ).json()["ids"][0]
    ours = _ours(shop)
    with_orders = ours[f"shop-eu:c:{ids[0]}"]["id"]
    httpx.post(f"{base}/_sandbox/contacts/{with_orders}/orders", json={"count": 2})
    # ERP staff re-used one of our contacts for something else: not ours any more.
    edited = ours[f"shop-eu:c:{ids[1]}"]["id"]
    httpx.patch(f"{base}/_sandbox/contacts/{edited}", json={"fields": {"externalId": "crm:1"}})
    # A supplier with our identity is not a customer contact: kept.
    supplier = ours[f"shop-eu:c:{ids[2]}"]["id"]
    httpx.patch(f"{base}/_sandbox/contacts/{supplier}", json={"fields": {"typeId": 2}})

    plan = plan_replace(profile)
    assert plan.count == 6  # 8 linked, less the re-used one and the supplier
    assert sum(plan.kept.values()) == 2
    before = shop.stats()["contacts"]

    with pytest.raises(CountMismatch):
        replace_contacts(profile, confirm=plan.count + 1)
    assert shop.stats()["contacts"] == before
    assert not backup_dir().exists() or not list(backup_dir().iterdir())

    result = replace_contacts(profile, confirm=plan.count)
    assert result.deleted == 5 and result.kept_with_orders == [with_orders]
    assert result.failed == {}
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    backed = [json.loads(line) for line in result.backup.read_text().splitlines()]
    assert len(backed) == plan.count
    assert {b["contact"]["id"] for b in backed} == {c.id for _, c in plan.deletable}
    assert all(b["contact"]["options"] for b in backed)  # the whole record, e-mail included

    remaining = {c["id"] for c in shop.contacts()}
    assert {foreign, with_orders, edited, supplier} <= remaining
    deleted = {c.id for _, c in plan.deletable} - {with_orders}
    assert not deleted & remaining
    assert result.run is not None and result.run.status == "done"
    # A full export: the five deleted come back, with every customer not exported before.
    # The three kept contacts are still linked; refused (dirty) records fail as always.
    assert result.run.created == CUSTOMERS - 3 - result.run.failed
    after = _ours(shop)
    for i in ids[3:]:
        assert f"shop-eu:c:{i}" in after
    assert CustomerLink.get(CustomerLink.entity_key == str(ids[0])).contact_id == with_orders
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0


def test_old_backups_are_removed(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=clean_ids(shop, 2))
    folder = backup_dir()
    folder.mkdir(parents=True)
    old = folder / "replace-profile-1-20200101T000000000000Z.jsonl"
    recent = folder / "replace-profile-1-20991231T000000000000Z.jsonl"
    for path, age_days in ((old, 40), (recent, 10)):
        path.write_text("{}\n")
        past = time.time() - age_days * 86_400
        os.utime(path, (past, past))
    backup = write_backup(profile, plan_replace(profile), retention_days=30)
    assert not old.exists() and recent.exists()
    assert len(backup.read_text().splitlines()) == 2
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_replace_profile_exports_as_append_and_says_so(
    make_profile: Callable[..., Profile], caplog: pytest.LogCaptureFixture
) -> None:
    profile = make_profile({"http_api": {"api_behaviour": "replace"}})
    with caplog.at_level("WARNING"):
        run = start_export(profile, RunOptions(), trigger="schedule")
    assert run_options(run).behaviour == "append"
    assert "'plentysync customer replace'" in caplog.text
