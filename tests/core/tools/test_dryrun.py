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
