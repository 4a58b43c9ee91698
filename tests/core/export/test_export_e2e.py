"""End-to-end over HTTP: both sandboxes, a real SQLite database, the inline executor."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from core.db.models import CustomerLink, Profile, RunItem
from core.mapping import identity
from sandbox.data import DirtyKind
from tests.core.export.conftest import CUSTOMERS, Shop, export

DIRTY_ERRORS = {DirtyKind.MARKUP_IN_NAME, DirtyKind.OVERLONG_FIELDS}


def _store_of(record: dict[str, Any]) -> int:
    """The store view of a record; store 0 (admin) means the website's default view."""
    return int(record["store_id"] or {1: 1, 2: 3, 3: 5}[record["website_id"]])


def _by_identity(shop: Shop) -> dict[str, dict[str, Any]]:
    contacts = shop.contacts()
    counts = Counter(c.get("externalId") for c in contacts)
    assert not [k for k, n in counts.items() if k and n > 1], "duplicate identities"
    return {c["externalId"]: c for c in contacts if c.get("externalId")}


@pytest.mark.parametrize("export_db", ["sqlite", "postgres"], indirect=True)
def test_full_export_then_nothing_then_only_the_changed(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    first = export(profile, guests=False)
    refused = {i for i in range(1, CUSTOMERS + 1) if shop.dataset.dirty(i) & DIRTY_ERRORS}
    assert first.status == "done"
    assert first.failed == len(refused) and first.created == CUSTOMERS - len(refused)
    assert first.conflicts == 0 and first.skipped == 0
    contacts = _by_identity(shop)
    assert len(contacts) == CUSTOMERS - len(refused)
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0

    failed = RunItem.select().where((RunItem.run == first.id) & (RunItem.action == "failed"))
    assert {int(item.entity_key) for item in failed} == refused
    assert all("HTML markup" in i.message or "characters long" in i.message for i in failed)

    second = export(profile, guests=False)
    assert (second.api_reads, second.api_writes, second.created, second.updated) == (0, 0, 0, 0)
    assert second.unchanged == CUSTOMERS - len(refused)

    clean = [i for i in range(1, CUSTOMERS + 1) if not shop.dataset.dirty(i)]
    changed = shop.mutate(ids=clean[:10], kinds=["name"])
    third = export(profile, guests=False)
    assert third.updated == 10 and third.created == 0
    assert third.api_writes == 10  # one contact update each, nothing else
    assert changed


def test_stored_fields_follow_the_mapping(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    export(profile, guests=False)
    contacts = _by_identity(shop)
    checked_company = checked_plain = 0
    for i in range(1, CUSTOMERS + 1):
        if shop.dataset.dirty(i):
            continue
        record = shop.dataset.customer(i)
        contact = contacts[identity("shop-eu", "customer", str(i))]
        first = " ".join(p for p in (record["firstname"], record.get("middlename")) if p)
        assert contact["firstName"] == first
        assert contact["lastName"] == record["lastname"].strip()
        assert contact["classId"] == (2 if record["group_id"] == 2 else 1)
        assert (
            contact["lang"] == {3: "de", 5: "fr"}.get(record["store_id"], "en")
            or record["store_id"] == 0
        )
        emails = [o["value"] for o in contact["options"] if o["typeId"] == 2]
        assert emails == [record["email"].strip().casefold()]
        own = [a for a in contact.get("addresses", [])]
        assert len({a["id"] for a in own}) >= min(1, len(record["addresses"]))
        if any(a.get("vat_id") for a in record["addresses"]):
            assert contact.get("accounts"), f"customer {i} has a VAT id but no account"
            checked_company += 1
        else:
            checked_plain += 1
    assert checked_company > 0 and checked_plain > 0


def test_erp_edits_survive_unrelated_changes(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    export(profile, entity_ids=[1, 2, 3], guests=False)
    link = CustomerLink.get(CustomerLink.entity_key == "1")
    httpx.patch(
        f"{shop.plenty.base_url}/_sandbox/contacts/{link.contact_id}",
        json={"fields": {"title": "Kammersänger", "firstName": "Edited"}},
    ).raise_for_status()
    shop.mutate(ids=[1], kinds=["group"])
    run = export(profile, entity_ids=[1], guests=False)
    contact = next(c for c in shop.contacts() if c["id"] == link.contact_id)
    assert contact["title"] == "Kammersänger" and contact["firstName"] == "Edited"
    assert run.api_writes <= 1


def test_export_off_and_address_off_and_store_filter(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    off = make_profile({"customer": {"is_active": False}}, name="off")
    run = export(off, entity_ids=list(range(1, 21)), guests=False)
    assert run.skipped == 20 and run.api_writes == 0
    assert shop.stats()["contacts"] == 0

    no_address = make_profile({"customer": {"create_address": False}}, name="noaddr")
    export(no_address, entity_ids=list(range(1, 21)), guests=False)
    assert shop.stats()["contacts"] > 0 and shop.stats()["addresses"] == 0


def test_store_filter_excludes_unmapped_stores(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(
        {
            "store": {
                "is_active_store_filter": True,
                "store_mapping": [{"store_id": 3, "plenty_id": 12345, "locale": "de"}],
            }
        }
    )
    run = export(profile, entity_ids=list(range(1, 61)), guests=False)
    in_store = [i for i in range(1, 61) if _store_of(shop.dataset.customer(i)) == 3]
    assert run.skipped == 60 - len(in_store)
    assert run.created + run.failed == len(in_store)


def test_batch_size_is_honoured(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    from core.db.models import RunBatch

    profile = make_profile({"schedule": {"process_batch_size": 7}})
    run = export(profile, entity_ids=list(range(1, 31)), guests=False)
    sizes = [len(b.entity_keys) for b in RunBatch.select().where(RunBatch.run == run.id)]
    assert sizes == [7, 7, 7, 7, 2]


def test_a_contact_deleted_in_plentyone_is_created_again(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    from core.export.connections import open_plenty

    profile = make_profile()
    clean = [i for i in range(1, 40) if not shop.dataset.dirty(i)][:3]
    export(profile, entity_ids=clean, guests=False)
    link = CustomerLink.get(CustomerLink.entity_key == str(clean[0]))
    with open_plenty(profile.client) as plenty:
        plenty.contacts.delete(link.contact_id, check_existing_orders=False)
    shop.mutate(ids=[clean[0]], kinds=["name"])
    run = export(profile, entity_ids=clean, guests=False)
    assert run.created == 1 and run.unchanged == 2 and run.failed == 0
    contacts = _by_identity(shop)
    new_link = CustomerLink.get(CustomerLink.entity_key == str(clean[0]))
    assert new_link.contact_id != link.contact_id
    assert contacts[identity("shop-eu", "customer", str(clean[0]))]["id"] == new_link.contact_id


@pytest.mark.parametrize("with_index", [True, False])
def test_contacts_made_before_plentysync_are_adopted(
    shop: Shop, make_profile: Callable[..., Profile], with_index: bool
) -> None:
    clean = [i for i in range(1, 80) if not shop.dataset.dirty(i)][:30]
    known = clean[:5]
    seeded = [
        {
            "typeId": 1,
            "referrerId": 1,
            "firstName": "Old",
            "lastName": "Extension",
            "options": [
                {
                    "typeId": 2,
                    "subTypeId": 4,
                    "value": shop.dataset.customer(i)["email"].strip().upper(),
                }
            ],
        }
        for i in known
    ]
    ids = httpx.post(f"{shop.plenty.base_url}/_sandbox/contacts", json=seeded).json()["ids"]
    profile = make_profile()
    run = export(profile, entity_ids=clean, guests=False, build_index=with_index)
    assert run.created == len(clean) - len(known) and run.updated == len(known)
    assert shop.stats()["duplicate_contacts_by_email"] == 0
    adopted = {c["id"]: c for c in shop.contacts() if c["id"] in ids}
    assert {c["externalId"] for c in adopted.values()} == {
        identity("shop-eu", "customer", str(i)) for i in known
    }
    if with_index:
        assert run.api_reads <= 3  # one page of every contact instead of two lookups each
    else:
        assert run.api_reads >= 2 * len(clean) - len(known)
