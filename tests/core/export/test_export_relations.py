"""Writes per customer and the relations they leave in PlentyONE, counted on a small shop.

The counts are exact, so a change that sends more (or drops a relation) fails here: each
batch sends its delivery relations in one relation array, a company account is created
linked to its contact, and the relations in PlentyONE are the ones the one-call-per-relation
export made (by type and primary flag, no duplicate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.db.models import AddressLink, Profile
from tests.core.export.conftest import Shop, export

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
