"""Links by hand against the sandboxes: inspect, link, unlink, and settle a conflict."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from core.db.models import CustomerLink, Profile
from core.errors import ConfigError, ConflictError
from core.tools.link_tools import (
    check_mapping,
    link_customer,
    list_conflicts,
    resolve_conflict,
    unlink_customer,
)
from tests.core.export.conftest import Shop, export
from tests.core.tools.conftest import clean_ids


def _seed(shop: Shop, email: str, last_name: str) -> int:
    body = [
        {
            "typeId": 1,
            "referrerId": 1,
            "lastName": last_name,
            "options": [{"typeId": 2, "subTypeId": 4, "value": email}],
        }
    ]
    answer = httpx.post(f"{shop.plenty.base_url}/_sandbox/contacts", json=body)
    answer.raise_for_status()
    return int(answer.json()["ids"][0])


def _contact(shop: Shop, contact_id: int) -> dict[str, object]:
    return next(c for c in shop.contacts() if c["id"] == contact_id)


def test_check_mapping_shows_link_last_export_and_diff(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    one = clean_ids(shop, 1)[0]
    export(profile, guests=False, entity_ids=[one])
    shop.mutate(ids=[one], kinds=["name"])
    report = check_mapping(profile, one)
    assert report.link is not None and report.link["state"] == "linked"
    assert report.last_export is not None and report.last_export["action"] == "created"
    assert report.addresses
    assert report.preview is not None and report.preview.action == "update"
    assert {"firstName", "lastName"} & set(report.preview.fields)


def test_link_unlink_and_the_next_export(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    first, second = clean_ids(shop, 2)
    export(profile, guests=False, entity_ids=[first])
    chosen = _seed(shop, "someone.else@example.org", "Chosen")
    message = link_customer(profile, second, chosen)
    assert f"linked to contact {chosen}" in message
    assert _contact(shop, chosen)["externalId"] == f"shop-eu:c:{second}"
    run = export(profile, guests=False, entity_ids=[second])
    assert (run.updated, run.created) == (1, 0)
    assert _contact(shop, chosen)["lastName"] == shop.dataset.customer(second)["lastname"].strip()

    taken = CustomerLink.get(CustomerLink.entity_key == str(first)).contact_id
    with pytest.raises(ConflictError):
        link_customer(profile, second, taken)

    assert "identity" in unlink_customer(profile, second)
    assert CustomerLink.get_or_none(CustomerLink.entity_key == str(second)) is None
    assert _contact(shop, chosen)["externalId"] in ("", None)


def test_conflict_listed_then_resolved(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    one = clean_ids(shop, 1)[0]
    email = shop.dataset.customer(one)["email"].strip()
    twins = [_seed(shop, email, "Twin"), _seed(shop, email.upper(), "Twin")]
    run = export(profile, guests=False, entity_ids=[one])
    assert run.conflicts == 1
    conflicts = list_conflicts(profile)
    assert [c.customer_id for c in conflicts] == [str(one)]
    assert all(str(t) in conflicts[0].message for t in twins)

    stranger = _seed(shop, "nobody@example.org", "Other")
    with pytest.raises(ConfigError):
        resolve_conflict(profile, one, stranger)
    resolve_conflict(profile, one, twins[1])
    assert list_conflicts(profile) == []
    again = export(profile, guests=False, entity_ids=[one])
    assert again.conflicts == 0 and again.created == 0
    assert CustomerLink.get(CustomerLink.entity_key == str(one)).contact_id == twins[1]
