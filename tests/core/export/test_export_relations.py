"""Writes per customer and the relations they leave in PlentyONE, counted on a small shop.

The counts are exact, so a change that sends more (or drops a relation) fails here: each
batch sends its delivery relations in one relation array, a company account is created
linked to its contact, and the relations in PlentyONE are the ones the one-call-per-relation
export made (by type and primary flag, no duplicate).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from core.db.models import AddressLink, Profile
from core.errors import RateLimitedError
from core.export import relations, runs
from core.export.service import worker_name
from core.plenty._endpoints_addresses import Addresses
from tests.core.export.conftest import Shop, export
from tests.core.export.test_export_exactlyonce import WorkerKilled, _lease_again, _prepared, _work

IDS = list(range(1, 31))
SMALL_BATCHES = {"schedule": {"process_batch_size": 15}}  # two batches
ARRAY = "POST /rest/accounts/addresses/contact_relations"
# The writes of a first export of IDS by kind (the sandbox's routes).
FIRST = {
    "POST /rest/accounts/contacts": 30,
    "POST /rest/accounts/contacts/{contactId}/addresses": 42,
    ARRAY: 2,
    "POST /rest/accounts/contacts/{contactId}/accounts": 4,
}
# Before relation arrays: 30 contacts, 60 address posts (18 of them a second relation of
# an address), 4 accounts and 4 account links: 98 writes instead of 78.
# The address relations the export leaves, as before relation arrays (one call each).
RELATIONS = {"1/primary": 22, "2/other": 16, "2/primary": 22}


def writes_by_kind(stats: dict[str, Any]) -> dict[str, int]:
    """The emulator's write calls by route (the login left out)."""
    return {
        route: n
        for route, n in stats["calls"]["by_route"].items()
        if not route.startswith("GET") and route != "POST /rest/login"
    }


def relations_of(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "by_type": stats["relations_by_type"],
        "duplicates": stats["duplicate_address_relations"],
        "double_primaries": stats["double_primary_relations"],
    }


def test_a_first_export_and_a_rerun_make_exactly_these_writes(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(SMALL_BATCHES)
    first = export(profile, entity_ids=IDS, guests=False)
    stats = shop.stats()
    assert first.status == "done" and first.created == stats["contacts"] > 0
    assert writes_by_kind(stats) == FIRST
    assert first.api_writes == sum(FIRST.values())
    # Within 3 % of the floor: a write per contact, per distinct address, per account.
    floor = stats["contacts"] + stats["addresses"] + stats["accounts"]
    assert first.api_writes <= floor * 1.03
    assert relations_of(stats) == {"by_type": RELATIONS, "duplicates": 0, "double_primaries": 0}
    assert stats["account_relations"] == stats["accounts"]
    assert not AddressLink.select().where(AddressLink.relation_state.is_null(False)).exists()

    again = export(profile, entity_ids=IDS, guests=False)
    assert again.created == 0 and again.api_writes == 0
    assert writes_by_kind(shop.stats()) == FIRST


ONE_BATCH = list(range(1, 16))


def _pending() -> list[AddressLink]:
    return list(AddressLink.select().where(AddressLink.relation_state.is_null(False)))


def _by_type(rows: list[AddressLink]) -> Counter[str]:
    return Counter(f"{r.type_id}/{'primary' if r.is_primary else 'other'}" for r in rows)


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_a_crash_before_the_relation_array_leaves_them_pending_and_the_next_go_sends_them(
    shop: Shop, make_profile: Callable[..., Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, batch = _prepared(make_profile(SMALL_BATCHES), entity_ids=ONE_BATCH, guests=False)
    first = runs.lease_batch(batch.id, worker_name())
    assert first is not None

    def die(deps: Any) -> int:
        raise WorkerKilled("before the relation array")

    with monkeypatch.context() as patch:
        patch.setattr(relations, "send_pending", die)
        with pytest.raises(WorkerKilled):
            _work(run, first)
    waiting = _pending()
    assert waiting and {r.relation_state for r in waiting} == {"pending"}
    before = shop.stats()
    assert ARRAY not in writes_by_kind(before)

    _work(run, _lease_again(batch.id, first.lease_owner))
    after = shop.stats()
    assert writes_by_kind(after)[ARRAY] == 1
    assert _pending() == []
    # PlentyONE had none of the pending relations before; it has each of them once now.
    wanted = Counter(before["relations_by_type"]) + _by_type(waiting)
    assert after["relations_by_type"] == dict(sorted(wanted.items()))
    assert after["duplicate_address_relations"] == after["double_primary_relations"] == 0
    assert runs.finish_run_if_done(run.id) == "done"


@pytest.mark.parametrize("mode", ["all_or_nothing", "per_item"])
def test_a_relation_refused_alone_is_dropped_and_the_others_land(
    shop: Shop, make_profile: Callable[..., Profile], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    shop.plenty_config({"modes": {"relation_array": mode}})
    real = relations.send_pending
    gone: list[AddressLink] = []

    def address_deleted_first(deps: Any) -> int:
        # Staff delete one address in PlentyONE before the batch's array goes out.
        row = _pending()[0]
        route = "/rest/accounts/addresses/{addressId}"
        deps.plenty.request("DELETE", route, path={"addressId": row.address_id})
        gone.append(row)
        return real(deps)

    monkeypatch.setattr(relations, "send_pending", address_deleted_first)
    run = export(make_profile(SMALL_BATCHES), entity_ids=ONE_BATCH, guests=False)
    assert run.status == "done" and gone
    stats = shop.stats()
    arrays = writes_by_kind(stats)[ARRAY]
    # All or nothing: a 422, then halves down to the bad item alone; per item: one call.
    assert arrays > 3 if mode == "all_or_nothing" else arrays == 1
    assert _pending() == []
    (bad,) = gone
    assert not AddressLink.select().where(AddressLink.id == bad.id).exists()
    sent = AddressLink.select().where(AddressLink.type_id == 2, AddressLink.is_primary == True)  # noqa: E712
    assert stats["relations_by_type"]["2/primary"] == sent.count() > 0
    assert stats["duplicate_address_relations"] == 0


def _timeouts(stats: dict[str, Any]) -> int:
    return sum(n for kind, n in stats["faults"].items() if kind.startswith("timeout_"))


class _FaultsOff(threading.Thread):
    """Turns the emulator's faults off once the first timeout was injected."""

    def __init__(self, shop: Shop) -> None:
        super().__init__(daemon=True)
        self.shop, self.stop = shop, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            if _timeouts(self.shop.stats()):
                self.shop.plenty_config({"faults": {"timeout_rate": 0.0}})
                return


@pytest.mark.slow  # a timed-out call hangs, and the batch waits for late writes to land
@pytest.mark.parametrize("outcome", ["applied", "not_applied"])
def test_a_timed_out_relation_array_is_looked_up_before_it_is_sent_again(
    shop: Shop, make_profile: Callable[..., Profile], outcome: str
) -> None:
    weights = {"not_applied": 0, "applied": 0, "applied_late": 0, outcome: 1}
    shop.plenty_config(
        {
            "faults": {
                "timeout_rate": 1.0,
                "timeout_hang_s": 1.3,
                "timeout_outcomes": weights,
                "paths": ["/rest/accounts/addresses/contact_relations"],
            }
        }
    )
    watcher = _FaultsOff(shop)
    watcher.start()
    try:
        run = export(make_profile(SMALL_BATCHES), park_seconds=1.0, entity_ids=ONE_BATCH)
    finally:
        watcher.stop.set()
    stats = shop.stats()
    assert run.status == "done" and _timeouts(stats) == 1
    lookups = stats["calls"]["by_route"]["GET /rest/accounts/addresses/contact_relations"]
    assert lookups > 0  # the contacts of the uncertain relations were read first
    # Landed: never sent again. Not landed: sent once more, after the look-up.
    assert writes_by_kind(stats)[ARRAY] == (1 if outcome == "applied" else 2)
    assert _pending() == []
    assert stats["duplicate_address_relations"] == stats["double_primary_relations"] == 0
    linked = AddressLink.select().where(AddressLink.type_id == 2, AddressLink.is_primary == True)  # noqa: E712
    assert stats["relations_by_type"]["2/primary"] == linked.count() > 0


def test_a_relation_array_refused_with_429s_stays_pending_and_goes_next_time_unread(
    shop: Shop, make_profile: Callable[..., Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, batch = _prepared(make_profile(SMALL_BATCHES), entity_ids=ONE_BATCH, guests=False)
    first = runs.lease_batch(batch.id, worker_name())
    assert first is not None

    def refused(self: Any, items: Any, *, landed: Any = None) -> list[Any]:
        # What the client raises once PlentyONE kept answering the array with 429.
        raise RateLimitedError(f"PlentyONE kept refusing {ARRAY} with 429", retry_after=0.0)

    with monkeypatch.context() as patch:
        patch.setattr(Addresses, "write_relations", refused)
        _work(run, first)
    waiting = _pending()
    # A 429 means PlentyONE ran nothing: the rows are not uncertain, only not sent yet.
    assert waiting and {r.relation_state for r in waiting} == {"pending"}
    assert ARRAY not in writes_by_kind(shop.stats())

    again = runs.lease_batch(batch.id, worker_name())
    assert again is not None and again.entity_keys == []
    _work(run, again)
    stats = shop.stats()
    assert writes_by_kind(stats)[ARRAY] == 1
    # Sent at once on the next go, without reading the contacts' relations first.
    assert stats["calls"]["by_route"].get("GET /rest/accounts/addresses/contact_relations", 0) == 0
    assert _pending() == []
    assert stats["duplicate_address_relations"] == stats["double_primary_relations"] == 0
    assert runs.finish_run_if_done(run.id) == "done"
