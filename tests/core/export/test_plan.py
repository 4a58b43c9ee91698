"""The planning step alone: drafts and stored rows in, the writes out (no database, no HTTP)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from core.export.plan import (
    NEW_ACCOUNT,
    Drafts,
    Known,
    Rules,
    StoredAccount,
    StoredAddress,
    plan_batch,
    plan_entity,
)
from core.mapping import AccountDraft, AddressDraft, ContactDraft, fingerprint

RULES = Rules(identity_field="externalId")


def contact(last_name: str = "Muster", email: str = "anna@example.com") -> ContactDraft:
    return ContactDraft(
        identity="shop-eu:c:7",
        email=email,
        create_only={"typeId": 1, "referrerId": 1.0, "plentyId": 1000, "externalId": "shop-eu:c:7"},
        managed={"firstName": "Anna", "lastName": last_name, "lang": "de"},
        options=[{"typeId": 2, "subTypeId": 4, "value": email}],
    )


def address(
    key: str = "11", type_id: int = 1, town: str = "Berlin", primary: bool = True
) -> AddressDraft:
    return AddressDraft(
        address_key=key,
        type_id=type_id,
        is_primary=primary,
        managed={"address1": "Weg", "address2": "1", "town": town, "countryId": 1},
        options=[{"typeId": 12, "value": f"shop-eu:a:{key}"}],
    )


def stored(draft: AddressDraft, address_id: int = 500) -> StoredAddress:
    """The link row left by sending ``draft``."""
    return StoredAddress(
        draft.address_key, draft.type_id, address_id, draft.is_primary, draft.content_fingerprint()
    )


def account(name: str = "Acme GmbH") -> AccountDraft:
    return AccountDraft(
        account_key="de123",
        managed={"companyName": name},
        create_only={"externalId": "shop-eu:acct:de123"},
    )


def drafts(
    contact_draft: ContactDraft,
    addresses: list[AddressDraft] | None = None,
    account_draft: AccountDraft | None = None,
) -> Drafts:
    return Drafts("customer", "7", contact_draft, tuple(addresses or ()), account_draft)


def linked(draft: ContactDraft, **more: object) -> Known:
    """A customer linked to contact 70, last sent as ``draft``."""
    return Known(found_by="link", contact_id=70, sent=draft.fingerprints(), **more)  # type: ignore[arg-type]


def test_a_new_customer_is_created_with_its_addresses_and_account() -> None:
    entity = drafts(contact(), [address(), address("11", 2, primary=True)], account())
    plan = plan_entity(entity, Known(), RULES)
    assert (plan.contact.action, plan.contact.link) == ("create", "claim")
    assert dict(plan.contact.payload) == contact().create_payload()
    assert {"typeId", "externalId", "lastName", "option:2/4"} <= set(plan.contact.fields)
    # The address is created as billing; the delivery relation goes in the batch's array.
    assert [w.describe() for w in plan.addresses] == ["create billing 11", "relate delivery 11"]
    assert plan.relations[0].address_id is None and plan.relations[0].is_primary
    assert plan.account is not None and plan.account.summary == "create"
    assert (plan.account.create, plan.account.update, plan.account.link) == (True, False, True)
    assert plan.action == "create"
    assert plan.writes == 1 + 1 + 1  # contact, the address, the account created linked


def test_a_second_relation_of_a_held_address_is_related_to_it() -> None:
    billing, delivery = address(), address("11", 2, primary=True)
    known = linked(contact(), addresses=(stored(billing, 500),))
    plan = plan_entity(drafts(contact(), [billing, delivery]), known, RULES)
    assert [(w.action, w.address_id) for w in plan.addresses] == [("relate", 500)]
    assert plan.writes == 0 and plan.action == "update"


def test_an_address_of_other_content_is_created_not_related() -> None:
    billing, delivery = address(), address("11", 2, town="Köln")
    plan = plan_entity(drafts(contact(), [billing, delivery]), Known(), RULES)
    assert [w.describe() for w in plan.addresses] == ["create billing 11", "create delivery 11"]
    assert plan.relations == ()


def test_a_pending_relation_is_neither_sent_again_nor_changed() -> None:
    billing, delivery = address(), address("11", 2, primary=True)
    waiting = dataclasses.replace(stored(delivery, 500), pending=True)
    changed = address("11", 2, town="Köln", primary=True)
    for wanted in ([billing, delivery], [billing, changed], [billing]):
        known = linked(contact(), addresses=(stored(billing, 500), waiting))
        plan = plan_entity(drafts(contact(), wanted), known, RULES)
        assert plan.addresses == () and plan.action == "unchanged"


def test_a_batch_sends_its_relations_as_one_deferred_array() -> None:
    both = [address(), address("11", 2, primary=True)]
    held = linked(contact(), addresses=(stored(both[0], 500),))
    batch = plan_batch(
        [("7", drafts(contact(), both), Known()), ("8", drafts(contact(), both), held)], RULES
    )
    (array,) = batch.deferred
    assert array.endpoint == "/rest/accounts/addresses/contact_relations"
    assert [dict(i) for i in array.items] == [
        {"contactId": None, "addressId": None, "typeId": 2, "isPrimary": True},
        {"contactId": 70, "addressId": 500, "typeId": 2, "isPrimary": True},
    ]
    assert batch.writes == (1 + 1) + 0 + 1  # contact and address; nothing; the array


def test_sync_creates_no_contact() -> None:
    plan = plan_entity(
        drafts(contact(), [address()]), Known(), dataclasses.replace(RULES, creates=False)
    )
    assert plan.action == "skipped" and plan.writes == 0
    assert "sync creates none" in plan.skipped


def test_an_unchanged_customer_plans_no_write() -> None:
    addr = address()
    plan = plan_entity(
        drafts(contact(), [addr]), linked(contact(), addresses=(stored(addr),)), RULES
    )
    assert plan.contact.action == "none" and plan.contact.link == "keep"
    assert plan.addresses == () and plan.writes == 0
    assert plan.action == "unchanged"


def test_an_update_sends_only_the_changed_field() -> None:
    plan = plan_entity(drafts(contact(last_name="Neu")), linked(contact()), RULES)
    assert plan.contact.action == "update"
    assert dict(plan.contact.payload) == {"lastName": "Neu"}
    assert plan.contact.fields == ("lastName",)
    assert plan.action == "update" and plan.writes == 1


def test_a_changed_option_sends_all_options() -> None:
    plan = plan_entity(drafts(contact(email="new@example.com")), linked(contact()), RULES)
    assert plan.contact.payload == {
        "options": [{"typeId": 2, "subTypeId": 4, "value": "new@example.com"}]
    }
    assert plan.contact.fields == ("option:2/4",)


def test_force_sends_every_managed_field() -> None:
    plan = plan_entity(drafts(contact()), linked(contact()), dataclasses.replace(RULES, force=True))
    assert set(plan.contact.payload) == {"firstName", "lastName", "lang", "options"}


def test_an_adopted_contact_gets_every_field_and_our_identity() -> None:
    known = Known(found_by="email", contact_id=70, sent={"lastName": fingerprint("Muster")})
    plan = plan_entity(drafts(contact()), known, RULES)
    assert (plan.contact.action, plan.contact.link) == ("update", "adopt")
    assert plan.contact.payload["externalId"] == "shop-eu:c:7"
    assert plan.contact.payload["lastName"] == "Muster"  # what a stale link said is not trusted
    assert "externalId" in plan.contact.fields
    assert not plan.contact.convert_guest and plan.action == "update"


def test_a_customer_takes_over_its_guest_contact() -> None:
    known = Known(found_by="guest", contact_id=70, is_guest=True, guest_link="1:abc")
    plan = plan_entity(drafts(contact()), known, RULES)
    assert plan.contact.convert_guest and plan.contact.link == "adopt"
    assert plan.writes == 2  # convert, then update with our identity


def test_a_landed_create_counts_as_a_create() -> None:
    known = Known(found_by="identity", contact_id=70, landed=True)
    plan = plan_entity(drafts(contact()), known, RULES)
    assert plan.contact.link == "landed" and plan.contact.action == "update"
    assert plan.action == "create"


def test_an_added_address_is_created() -> None:
    billing = address()
    added = address("12", 2, town="Hamburg")
    known = linked(contact(), addresses=(stored(billing),))
    plan = plan_entity(drafts(contact(), [billing, added]), known, RULES)
    assert [w.describe() for w in plan.addresses] == ["create delivery 12"]
    assert plan.addresses[0].payload_hash == added.content_fingerprint()
    assert plan.action == "update"


def test_a_moved_customer_updates_the_address_in_place() -> None:
    before = address(town="Berlin")
    plan = plan_entity(
        drafts(contact(), [address(town="Köln")]),
        linked(contact(), addresses=(stored(before, 501),)),
        RULES,
    )
    (write,) = plan.addresses
    assert (write.action, write.address_id) == ("update", 501)
    assert write.payload["town"] == "Köln"


def test_a_relation_moved_to_another_address_is_created_there_and_unlinked_here() -> None:
    old = address("11", 1)
    plan = plan_entity(
        drafts(contact(), [address("12", 1)]),
        linked(contact(), addresses=(stored(old, 501),)),
        RULES,
    )
    assert [(w.describe(), w.address_id) for w in plan.addresses] == [
        ("create billing 12", None),
        ("unlink billing 11", 501),
    ]


def test_a_removed_address_is_unlinked() -> None:
    billing, delivery = address(), address("12", 2)
    known = linked(contact(), addresses=(stored(billing, 501), stored(delivery, 502)))
    plan = plan_entity(drafts(contact(), [billing]), known, RULES)
    assert [(w.describe(), w.address_id) for w in plan.addresses] == [("unlink delivery 12", 502)]


def test_a_changed_primary_flag_updates_the_relation() -> None:
    was = address(primary=False)
    plan = plan_entity(
        drafts(contact(), [address(primary=True)]),
        linked(contact(), addresses=(stored(was),)),
        RULES,
    )
    (write,) = plan.addresses
    assert write.action == "update" and write.is_primary


def test_addresses_are_not_planned_when_the_profile_sends_none() -> None:
    rules = dataclasses.replace(RULES, addresses=False)
    plan = plan_entity(drafts(contact(), [address()]), Known(), rules)
    assert plan.addresses == ()


def test_an_account_already_linked_plans_nothing() -> None:
    draft = account()
    row = StoredAccount(True, 9, fingerprint(draft.managed))
    plan = plan_entity(
        drafts(contact(), [], draft), linked(contact(), account=row, account_id=9), RULES
    )
    assert plan.account is not None and plan.account.calls == 0 and plan.writes == 0


def test_an_existing_account_is_linked_to_a_new_colleague() -> None:
    draft = account()
    row = StoredAccount(True, 9, fingerprint(draft.managed))
    plan = plan_entity(drafts(contact(), [], draft), Known(account=row), RULES)
    assert plan.account is not None
    assert (plan.account.create, plan.account.update, plan.account.link) == (False, False, True)


def test_a_renamed_account_is_updated() -> None:
    row = StoredAccount(True, 9, fingerprint(account().managed))
    known = linked(contact(), account=row, account_id=9)
    plan = plan_entity(drafts(contact(), [], account("Acme AG")), known, RULES)
    assert plan.account is not None and plan.account.summary == "update"
    assert dict(plan.account.payload) == {"companyName": "Acme AG"} and not plan.account.link


def test_an_account_claim_still_creating_is_created() -> None:
    row = StoredAccount(False, None, "")
    plan = plan_entity(drafts(contact(), [], account()), linked(contact(), account=row), RULES)
    assert plan.account is not None and plan.account.summary == "create"


def test_a_batch_creates_a_shared_account_once() -> None:
    first = drafts(contact(), [], account())
    second = drafts(dataclasses.replace(contact(), identity="shop-eu:c:8"), [], account())
    batch = plan_batch([("7", first, Known()), ("8", second, Known())], RULES)
    one, two = batch.entities["7"].account, batch.entities["8"].account
    assert one is not None and one.summary == "create"
    assert two is not None and two.summary == "link" and two.calls == 1
    assert batch.accounts["de123"].account_id == NEW_ACCOUNT
    assert batch.writes == (1 + 1) + (1 + 1)  # contact, account created linked; contact, link
    assert batch.deferred == ()


def test_plans_are_frozen() -> None:
    plan = plan_entity(drafts(contact()), Known(), RULES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.contact.action = "none"  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan.contact.payload["x"] = 1  # type: ignore[index]


def test_planning_takes_microseconds() -> None:
    entity = drafts(contact(last_name="Neu"), [address(), address("12", 2)], account())
    known = linked(contact(), addresses=(stored(address()),))
    began = time.perf_counter()
    for _ in range(1000):
        plan_entity(entity, known, RULES)
    assert time.perf_counter() - began < 1.0
