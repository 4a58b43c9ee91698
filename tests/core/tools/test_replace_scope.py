"""replace with two profiles on one client and shop: only the replaced profile's contacts go.

The sandbox shop has three websites: 1 (store views 1, 2), 2 (3, 4) and 3 (5, 6); a customer
created in the admin (store 0) belongs to its website's default store view (1, 3 and 5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from core.db.models import Profile
from core.profiles.service import create_profile, parse_settings
from core.tools.replace import CountMismatch, plan_replace, replace_contacts
from core.tools.replace_scope import GONE_FROM_MAGENTO
from tests.core.export.conftest import PROFILE, Shop, export

DEFAULT_VIEW = {1: 1, 2: 3, 3: 5}


def _stores(stores: list[int]) -> dict[str, Any]:
    rows = [{"store_id": s, "plenty_id": 12345, "locale": "de"} for s in stores]
    return {"referrer_id": 1, "is_active_store_filter": True, "store_mapping": rows}


def _two_profiles(
    make_profile: Callable[..., Profile], mine: list[int], theirs: list[int]
) -> tuple[Profile, Profile]:
    """Profile ``eu`` exporting ``mine``, ``other`` exporting ``theirs``: one client, one shop."""
    first = make_profile({"store": _stores(mine)})
    document = {**PROFILE, "store": _stores(theirs)}
    other = create_profile(
        name="other", client=first.client, source=first.source, settings=parse_settings(document)
    )
    return first, other


def _ours(shop: Shop) -> dict[str, int]:
    """Our identity -> PlentyONE contact id, for every contact plentysync created."""
    return {
        str(c["externalId"]): int(c["id"])
        for c in shop.contacts()
        if str(c.get("externalId") or "").startswith("shop-eu:")
    }


def _store_view(shop: Shop, identity: str) -> int | None:
    """The store view of a customer identity (``shop-eu:c:42``); None for a guest."""
    _, kind, key = identity.split(":", 2)
    if kind != "c":
        return None
    summary = shop.dataset.summary(int(key))
    return int(summary["store_id"]) or DEFAULT_VIEW[int(summary["website_id"])]


def _website(shop: Shop, identity: str) -> int:
    """The website of a guest identity (``shop-eu:g:2:9f3a...``)."""
    return int(identity.split(":")[2])


def _replace_and_check(shop: Shop, first: Profile, mine: set[str]) -> dict[str, int]:
    """Replace ``first``: exactly ``mine`` is deleted and exported again, the rest is untouched."""
    before = _ours(shop)
    plan = plan_replace(first)
    assert {c.externalId for _, c in plan.deletable} == mine
    assert plan.count == len(mine)
    # The count that used to be asked for (every link of the client and shop) is refused.
    with pytest.raises(CountMismatch):
        replace_contacts(first, confirm=len(before))
    assert _ours(shop) == before

    result = replace_contacts(first, confirm=plan.count)
    assert result.deleted == len(mine) and result.failed == {}
    assert result.run is not None and result.run.status == "done"
    assert result.left_out == plan.left_out
    after = _ours(shop)
    for identity, contact_id in before.items():
        if identity not in mine:
            assert after.get(identity) == contact_id, identity  # the same contact, untouched
    recreated = {i for i in mine if i in after and after[i] != before[i]}
    assert recreated and recreated <= mine
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0
    return plan.left_out


def test_profiles_on_different_websites_keep_each_others_contacts(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    first, other = _two_profiles(make_profile, [1, 2], [3, 4, 5, 6])
    export(first)
    export(other)
    before = _ours(shop)
    # A customer of ours deleted in Magento since: its store is unknown, so it is left alone.
    gone = next(i for i in before if _store_view(shop, i) in (1, 2))
    httpx.delete(f"{shop.magento.base_url}/_sandbox/customers/{gone.rsplit(':', 1)[1]}")
    mine = {
        i
        for i in before
        if i != gone and (_store_view(shop, i) in (1, 2) or (":g:" in i and _website(shop, i) == 1))
    }
    theirs_guests = {i for i in before if ":g:" in i and _website(shop, i) != 1}
    theirs_customers = {i for i in before if _store_view(shop, i) in (3, 4, 5, 6)}
    assert theirs_guests and theirs_customers and any(":g:" in i for i in mine)

    left_out = _replace_and_check(shop, first, mine)
    assert left_out[GONE_FROM_MAGENTO] == 1
    assert gone in _ours(shop)
    for website in (2, 3):
        guests = sum(_website(shop, i) == website for i in theirs_guests)
        assert left_out[f"guests of website {website}: another profile exports it"] == guests
    customers = sum(n for reason, n in left_out.items() if reason.startswith("customers this"))
    assert customers == len(theirs_customers)
    assert sum(left_out.values()) == len(before) - len(mine)


def test_profiles_sharing_a_website_leave_its_guests_alone(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    # Website 2 is split: store view 3 is exported by "eu", store view 4 by "other".
    first, other = _two_profiles(make_profile, [1, 2, 3], [4, 5, 6])
    export(first)
    export(other)
    before = _ours(shop)
    mine = {
        i
        for i in before
        if _store_view(shop, i) in (1, 2, 3) or (":g:" in i and _website(shop, i) == 1)
    }
    split = {i for i in before if ":g:" in i and _website(shop, i) == 2}
    assert split and any(_store_view(shop, i) == 3 for i in mine)

    left_out = _replace_and_check(shop, first, mine)
    reason = "guests of website 2: its store views are split between profiles"
    assert left_out[reason] == len(split)
    assert sum(left_out.values()) == len(before) - len(mine)


def test_guests_of_a_website_exported_only_in_part_are_left_out(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    # No other profile: store view 2 of website 1 is simply not exported by anyone.
    profile = make_profile({"store": _stores([1, 3, 4])})
    export(profile)
    before = _ours(shop)
    partial = {i for i in before if ":g:" in i and _website(shop, i) == 1}
    whole = {i for i in before if ":g:" in i and _website(shop, i) == 2}
    assert partial and whole
    plan = plan_replace(profile)
    deletable = {c.externalId for _, c in plan.deletable}
    assert whole <= deletable and not partial & deletable
    reason = "guests of website 1: this profile exports only some of its store views"
    assert plan.left_out == {reason: len(partial)}
