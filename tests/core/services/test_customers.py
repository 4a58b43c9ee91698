"""One customer looked up by id or e-mail, its live diff, conflicts and links, on the sandboxes."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from urllib.parse import quote

import httpx
import pytest

from core.db.models import CustomerLink, GuestKey, Profile
from core.errors import ConfigError, InputError, NotFoundError
from core.operations.logfile import MaskingFilter
from core.services import customers
from tests.core.export.conftest import Shop, export
from tests.core.tools.conftest import clean_ids, export_db, make_profile, shop

__all__ = ["export_db", "make_profile", "shop"]


def _seed(shop: Shop, email: str, last_name: str) -> int:
    body = [
        {
            "typeId": 1,
            "referrerId": 1,
            "lastName": last_name,
            "options": [{"typeId": 2, "subTypeId": 4, "value": email}],
        }
    ]
    answer = httpx.post(f"{shop.plenty.base_url}/_sandbox/contacts", json=body, timeout=10)
    answer.raise_for_status()
    return int(answer.json()["ids"][0])


def test_a_customer_by_id_and_by_email_shows_link_last_export_and_owned_fields(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    one = clean_ids(shop, 1)[0]
    run = export(profile, guests=False, entity_ids=[one])
    by_id = customers.look_up_customer(profile.name, str(one))
    assert (by_id.entity_type, by_id.customer_id, by_id.found_by) == ("customer", one, "link")
    assert by_id.link is not None and by_id.link.state == "linked" and by_id.link.contact_id
    assert by_id.identity == f"shop-eu:c:{one}"
    assert by_id.addresses
    assert by_id.last_export is not None
    assert (by_id.last_export.run, by_id.last_export.action) == (run.id, "created")
    states = {f.name: f.state for f in by_id.owned}
    assert states and set(states.values()) == {"sent"}, states

    email = shop.dataset.customer(one)["email"].strip()
    by_email = customers.look_up_customer(profile.id, f"  {email.upper()} ")
    assert by_email.customer_id == one and by_email.link == by_id.link

    shop.mutate(ids=[one], kinds=["name"])
    changed = customers.look_up_customer(profile.id, str(one))
    assert {f.name for f in changed.owned if f.state == "changed"} & {"firstName", "lastName"}

    diff = customers.live_diff(profile.id, str(one))
    contact = by_id.link.contact_id
    assert (diff.action, diff.found_by, diff.contact_id) == ("update", "link", contact)
    named = {d.name: d for d in diff.diffs}
    assert {"firstName", "lastName"} & set(named)

    with pytest.raises(InputError):
        customers.look_up_customer(profile.id, "not a customer")
    with pytest.raises(InputError):
        customers.look_up_customer(profile.id, "nobody@nowhere.invalid")
    with pytest.raises(NotFoundError, match="customer 999999 of Magento source"):
        customers.look_up_customer(profile.id, "999999")


@pytest.mark.slow  # a whole export with the guest buyers: about 3 s
def test_a_guest_buyer_is_found_by_email(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    export(profile)
    row = GuestKey.select().order_by(GuestKey.id).first()
    assert row is not None
    registered = customers.look_up_customer(profile.id, row.email)
    if registered.entity_type == "customer":
        pytest.skip("this guest's e-mail is also a registered customer's")
    assert registered.batch_key == f"g:{row.id}" and registered.customer_id is None
    assert registered.link is not None and registered.link.state == "linked"
    assert registered.last_export is not None and registered.last_export.action == "created"
    assert registered.identity.startswith("shop-eu:g:")
    assert {f.state for f in registered.owned} == {"sent"}
    diff = customers.live_diff(profile.id, row.email)
    assert (diff.batch_key, diff.found_by, diff.action) == (f"g:{row.id}", "link", "unchanged")
    assert diff.contact_id == registered.link.contact_id


def test_a_conflict_is_listed_with_its_candidates_and_settled(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    one, other = clean_ids(shop, 2)
    email = shop.dataset.customer(one)["email"].strip()
    twins = (_seed(shop, email, "Twin"), _seed(shop, email.upper(), "Twin"))
    export(profile, guests=False, entity_ids=[one, other])
    (conflict,) = customers.customer_conflicts(profile.id)
    assert conflict.customer_id == str(one)
    candidates = customers.conflict_candidates(profile.id, one)
    assert set(candidates.contact_ids) == set(twins) and candidates.found_by == "email"
    lookup = customers.look_up_customer(profile.id, str(one))
    assert lookup.link is None and lookup.last_export is not None
    assert lookup.last_export.action == "conflict"
    assert customers.live_diff(profile.id, str(one)).action == "conflict"

    assert "linked to contact" in customers.resolve_customer_conflict(profile.id, one, twins[0])
    assert customers.customer_conflicts(profile.id) == ()
    assert CustomerLink.get(CustomerLink.entity_key == str(one)).contact_id == twins[0]

    assert "removed" in customers.unlink(profile.id, one)
    assert CustomerLink.get_or_none(CustomerLink.entity_key == str(one)) is None
    with pytest.raises(ConfigError):
        customers.unlink(profile.id, one)
    assert "linked to contact" in customers.link_to_contact(profile.id, one, twins[1])
    assert CustomerLink.get(CustomerLink.entity_key == str(one)).contact_id == twins[1]


def test_an_email_lookup_leaves_no_email_in_the_log(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    """Even at -vv (httpx's request lines carry the search's query string)."""
    profile = make_profile()
    one = clean_ids(shop, 1)[0]
    export(profile, guests=False, entity_ids=[one])
    email = shop.dataset.customer(one)["email"].strip()
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(MaskingFilter(mask=True))  # what configure_logging puts on each handler
    root, chatty = logging.getLogger(), logging.getLogger("httpx")
    levels = root.level, chatty.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    chatty.setLevel(logging.DEBUG)
    try:
        assert customers.look_up_customer(profile.id, email).customer_id == one
        assert customers.live_diff(profile.id, email).action == "unchanged"
        with pytest.raises(InputError):
            customers.look_up_customer(profile.id, "someone.unknown@example.org")
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        chatty.setLevel(levels[1])
    written = lines.getvalue()
    assert "customers/search" in written  # the search was logged, its e-mail masked
    local = email.split("@")[0]
    assert local not in written and quote(email) not in written
    assert "someone.unknown" not in written
