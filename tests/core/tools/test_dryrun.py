"""Dry run against both sandboxes: the preview matches what the export then does, sends no write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from core.db.models import Profile
from core.export.runs import RunOptions
from core.tools.dryrun import dry_run
from core.tools.session import ReadOnlyTransport, WriteRefused
from tests.core.export.conftest import Shop, export
from tests.core.tools.conftest import clean_ids

WRITES = ("POST", "PUT", "DELETE", "PATCH")
SOME = list(range(1, 61))  # the first 60 customers


def _writes(stats: dict[str, Any]) -> int:
    """Write calls the emulator saw, logins left out (they change no data)."""
    return sum(
        n
        for route, n in stats["calls"]["by_route"].items()
        if route.split(" ")[0] in WRITES and "/rest/login" not in route
    )


def test_first_dry_run_previews_creates_and_sends_no_write(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    before = shop.stats()
    report = dry_run(profile, RunOptions(guests=False, entity_ids=SOME))
    after = shop.stats()
    assert _writes(after) == _writes(before) == 0
    assert after["contacts"] == 0
    counts = report.counts()
    assert len(report.items) == len(SOME)
    # Dirty records fail in the preview exactly as they fail in the export.
    run = export(profile, guests=False, entity_ids=SOME)
    assert counts["create"] == run.created and counts["failed"] == run.failed
    created = next(i for i in report.items if i.action == "create")
    assert "firstName" in created.fields and "typeId" in created.fields
    assert any(a.startswith("create billing") for a in created.addresses)


def test_stored_dry_run_names_the_changed_fields(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=SOME)
    clean = clean_ids(shop, 3)
    shop.mutate(ids=clean, kinds=["name"])
    stats = shop.stats()
    report = dry_run(profile, RunOptions(guests=False, entity_ids=SOME))
    assert shop.stats()["calls"]["total"] == stats["calls"]["total"]  # no PlentyONE call at all
    updated = {i.key: i for i in report.items if i.action == "update"}
    assert set(updated) == {str(i) for i in clean}
    assert all({"firstName", "lastName"} & set(i.fields) for i in updated.values())
    run = export(profile, guests=False, entity_ids=SOME)
    counts = report.counts()
    assert (run.updated, run.unchanged, run.failed) == (
        counts["update"],
        counts["unchanged"],
        counts["failed"],
    )


def test_live_dry_run_is_capped_and_shows_staff_edits_masked(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=list(range(1, 11)))
    contact = next(c for c in shop.contacts() if c.get("externalId") == "shop-eu:c:1")
    httpx.patch(
        f"{shop.plenty.base_url}/_sandbox/contacts/{contact['id']}",
        json={"fields": {"lastName": "Staffedit"}},
    ).raise_for_status()
    before = shop.stats()
    report = dry_run(
        profile, RunOptions(guests=False, entity_ids=list(range(1, 11))), live=True, limit=5
    )
    after = shop.stats()
    assert _writes(after) == _writes(before)
    assert len(report.items) == 5 and report.not_looked_at == 5
    first = report.items[0]
    assert first.found_by == "link"
    assert first.action == "unchanged"  # staff edits are not overwritten by an export
    assert first.live["lastName"]["plenty"] == "S***"
    assert "Staffedit" not in str(report.to_json())


def test_the_read_only_transport_refuses_writes_before_sending() -> None:
    with httpx.Client(base_url="http://127.0.0.1:9", transport=ReadOnlyTransport()) as client:
        with pytest.raises(WriteRefused):
            client.put("/rest/accounts/contacts/1", json={"lastName": "x"})
        with pytest.raises(WriteRefused):
            client.delete("/rest/accounts/contacts/1")
        # Reads and the login go through to the network (port 9 refuses the connection).
        with pytest.raises(httpx.ConnectError):
            client.post("/rest/login")
        with pytest.raises(httpx.ConnectError):
            client.get("/rest/accounts/contacts")


def _billing(record: dict[str, Any]) -> dict[str, Any] | None:
    """The customer's default billing address, if the address book names one."""
    return next(
        (
            a
            for a in record["addresses"]
            if a.get("default_billing") or str(a.get("id")) == str(record.get("default_billing"))
        ),
        None,
    )


def _move_house(shop: Shop, customer_ids: list[int], count: int) -> list[int]:
    """``count`` of the customers get a new town in their default billing address (same id)."""
    moved = []
    for customer_id in customer_ids:
        record = shop.dataset.customer(customer_id)
        billing = _billing(record) if record is not None else None
        if record is None or billing is None:
            continue
        billing["city"] = "Neustadt an der Probe"
        httpx.patch(
            f"{shop.magento.base_url}/_sandbox/customers/{customer_id}",
            json={"addresses": record["addresses"]},
        ).raise_for_status()
        moved.append(customer_id)
        if len(moved) == count:
            return moved
    raise AssertionError(f"fewer than {count} customers with a default billing address")


def test_the_printed_plan_is_the_writes_the_export_makes(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    clean = clean_ids(shop, 40)
    known, new = clean[:30], clean[30:]
    export(profile, guests=False, entity_ids=known)
    renamed, added = known[:4], known[4:7]
    shop.mutate(ids=renamed, kinds=["name"])
    shop.mutate(ids=added, kinds=["address"])
    moved = _move_house(shop, known[7:], 4)
    ids = known + new
    report = dry_run(profile, RunOptions(guests=False, entity_ids=ids))
    by_key = {item.key: item for item in report.items}
    assert {by_key[str(i)].action for i in new} == {"create"}
    assert {by_key[str(i)].action for i in renamed + moved} == {"update"}
    assert all(any(a.startswith("update billing") for a in by_key[str(i)].addresses) for i in moved)
    # An added address is another delivery address (the profile sends other addresses so).
    assert all(
        any(a.startswith("create delivery") for a in by_key[str(i)].addresses) for i in added
    )
    assert all(by_key[str(i)].writes == 1 for i in renamed)
    assert report.counts()["unchanged"] >= len(known) - len(renamed + moved + added)
    before = _writes(shop.stats())
    run = export(profile, guests=False, entity_ids=ids)
    sent = _writes(shop.stats()) - before
    assert report.writes() == sent == run.api_writes > 0
    counts = report.counts()
    assert (run.created, run.updated, run.unchanged) == (
        counts["create"],
        counts["update"],
        counts["unchanged"],
    )
    # Afterwards the same plan has nothing left to send.
    again = dry_run(profile, RunOptions(guests=False, entity_ids=ids))
    assert again.writes() == 0 and again.counts()["create"] == again.counts()["update"] == 0
