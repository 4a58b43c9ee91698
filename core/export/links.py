"""Links between our entities and PlentyONE records, and the claim taken before a create.

This is the one module that writes link rows (contact, account and address links); it also
reads them into what the planning step knows of an entity (``plan.Known``). Every function
commits on its own: a link is stored right after the call that made it, so a crash loses at
most the entity in flight, and a claim is visible to every other worker before the create is
sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import peewee as pw

from core.db.connection import write_transaction
from core.db.models import AccountLink, AddressLink, CustomerLink, utcnow
from core.export import results
from core.export.deps import ExportDeps
from core.export.plan import AddressWrite, Known, StoredAccount, StoredAddress
from core.export.preload import stored_address
from core.export.results import Written
from core.states import Resolved


def find_link(deps: ExportDeps, entity_type: str, key: str) -> CustomerLink | None:
    if deps.batch_links is not None:
        read, row = deps.batch_links.take_link(entity_type, key)
        if read:
            return row
    return CustomerLink.get_or_none(
        (CustomerLink.client == deps.client_id)
        & (CustomerLink.namespace == deps.namespace)
        & (CustomerLink.entity_type == entity_type)
        & (CustomerLink.entity_key == key)
    )


def claim(deps: ExportDeps, entity_type: str, key: str) -> CustomerLink | None:
    """Take the right to create the contact of this entity; None when another worker holds it.

    A claim left by an earlier attempt at the same batch is taken over once ``park_delay``
    has passed (a write of that attempt that was applied late has landed by then); anyone
    else's claim only when older than ``claim_ttl`` (its worker died). The caller has looked
    the contact up live before calling this.
    """
    now = utcnow()
    try:
        with write_transaction():
            return CustomerLink.create(
                client=deps.client_id,
                namespace=deps.namespace,
                entity_type=entity_type,
                entity_key=key,
                state="creating",
                claim_owner=deps.claimant,
                claimed_at=now,
            )
    except pw.IntegrityError:
        pass
    link = find_link(deps, entity_type, key)
    if link is None or link.state == "linked" or claim_is_held(deps, link, now):
        return None
    with write_transaction():
        taken = (
            CustomerLink.update(claim_owner=deps.claimant, claimed_at=now)
            .where((CustomerLink.id == link.id) & (CustomerLink.claimed_at == link.claimed_at))
            .execute()
        )
    return find_link(deps, entity_type, key) if taken else None


def claim_is_held(deps: ExportDeps, row: CustomerLink | AccountLink, now: dt.datetime) -> bool:
    """Whether a ``creating`` claim is still too fresh to take over."""
    if row.claimed_at is None:
        return False
    ours = row.claim_owner == deps.claimant
    return row.claimed_at > now - (deps.park_delay if ours else deps.claim_ttl)


def _drop_claim(deps: ExportDeps, table: type[CustomerLink | AccountLink], row_id: int) -> None:
    """Delete the row ``row_id`` of ``table`` if it is still our ``creating`` claim."""
    with write_transaction():
        table.delete().where(
            (table.id == row_id)
            & (table.state == "creating")
            & (table.claim_owner == deps.claimant)
        ).execute()


def release_claim(deps: ExportDeps, link: CustomerLink) -> None:
    """Drop our ``creating`` claim after PlentyONE refused the create: nothing was written."""
    _drop_claim(deps, CustomerLink, link.id)


def save_link(link: CustomerLink, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(link, name, value)
    link.updated_at = utcnow()
    with write_transaction():
        link.save()


def save_written(deps: ExportDeps, link: CustomerLink, action: Written, **changes: Any) -> None:
    """Store the link after a write to PlentyONE and the entity's result, in one commit."""
    with write_transaction():
        save_link(link, **changes)
        note_write(deps, action)


def note_write(deps: ExportDeps, action: Written = "updated") -> None:
    """Inside a link's transaction: the write becomes the exported entity's provisional result."""
    if deps.entity is not None:
        results.note_write(deps.run_id, deps.entity, action)


def adopt(deps: ExportDeps, entity_type: str, key: str, contact_id: int) -> CustomerLink:
    """Link an existing contact (found by identity or e-mail) to the entity."""
    link = find_link(deps, entity_type, key)
    if link is None:
        with write_transaction():
            CustomerLink.insert(
                client=deps.client_id,
                namespace=deps.namespace,
                entity_type=entity_type,
                entity_key=key,
                contact_id=contact_id,
                state="linked",
                sent={},
            ).on_conflict(
                conflict_target=[
                    CustomerLink.client,
                    CustomerLink.namespace,
                    CustomerLink.entity_type,
                    CustomerLink.entity_key,
                ],
                update={CustomerLink.contact_id: contact_id, CustomerLink.state: "linked"},
            ).execute()
        found = find_link(deps, entity_type, key)
        assert found is not None
        return found
    save_link(link, contact_id=contact_id, state="linked", claim_owner="", sent={})
    return link


def drop_link(link: CustomerLink) -> None:
    """Forget a link whose contact no longer exists; its address links go with it."""
    with write_transaction():
        AddressLink.delete().where(AddressLink.customer_link == link.id).execute()
        link.delete_instance()


def other_entities_of(
    deps: ExportDeps, contact_ids: list[int], entity_type: str, key: str
) -> dict[int, tuple[str, str]]:
    """Which of ``contact_ids`` are linked to another entity of this client."""
    if not contact_ids:
        return {}
    rows = CustomerLink.select(
        CustomerLink.contact_id, CustomerLink.entity_type, CustomerLink.entity_key
    ).where(
        (CustomerLink.client == deps.client_id)
        & CustomerLink.contact_id.in_(contact_ids)
        & ~(
            (CustomerLink.namespace == deps.namespace)
            & (CustomerLink.entity_type == entity_type)
            & (CustomerLink.entity_key == key)
        )
    )
    return {row.contact_id or 0: (row.entity_type, row.entity_key) for row in rows}


def account_link(deps: ExportDeps, key: str) -> AccountLink | None:
    return AccountLink.get_or_none(
        (AccountLink.client == deps.client_id)
        & (AccountLink.namespace == deps.namespace)
        & (AccountLink.account_key == key)
    )


def claim_account(deps: ExportDeps, key: str) -> tuple[AccountLink, bool]:
    """The account link row of ``key`` and whether we just created it (as our claim)."""
    found = account_link(deps, key)
    if found is not None:
        return found, False
    now = utcnow()
    try:
        with write_transaction():
            row = AccountLink.create(
                client=deps.client_id,
                namespace=deps.namespace,
                account_key=key,
                state="creating",
                claim_owner=deps.claimant,
                claimed_at=now,
            )
        return row, True
    except pw.IntegrityError:
        found = account_link(deps, key)
        assert found is not None
        return found, False


def take_over_account_claim(deps: ExportDeps, row: AccountLink) -> bool:
    """Take a claim no longer held (see ``claim_is_held``); False when it is held."""
    now = utcnow()
    if claim_is_held(deps, row, now):
        return False
    with write_transaction():
        taken = (
            AccountLink.update(claim_owner=deps.claimant, claimed_at=now)
            .where((AccountLink.id == row.id) & (AccountLink.claimed_at == row.claimed_at))
            .execute()
        )
    return bool(taken)


def release_account_claim(deps: ExportDeps, row: AccountLink) -> None:
    """Drop our account claim after PlentyONE refused the create."""
    _drop_claim(deps, AccountLink, row.id)


# The flag on a link's ``sent`` while an address write timed out: its result is looked up.
UNCERTAIN_ADDRESSES = "_addresses_uncertain"


def addresses_uncertain(link: CustomerLink) -> bool:
    return bool((link.sent or {}).get(UNCERTAIN_ADDRESSES))


def mark_addresses_uncertain(link: CustomerLink) -> None:
    save_link(link, sent={**(link.sent or {}), UNCERTAIN_ADDRESSES: True})


def clear_addresses_uncertain(link: CustomerLink) -> None:
    sent = dict(link.sent or {})
    sent.pop(UNCERTAIN_ADDRESSES, None)
    save_link(link, sent=sent)


def sent_of(link: CustomerLink | None) -> dict[str, str]:
    """The fingerprints of what we last sent to the link's contact (the address flag aside)."""
    sent = dict(link.sent or {}) if link is not None else {}
    sent.pop(UNCERTAIN_ADDRESSES, None)
    return sent


def stored_addresses(
    link: CustomerLink | None, deps: ExportDeps | None = None
) -> tuple[StoredAddress, ...]:
    """The address links of a link row, as the planning step reads them."""
    if link is None:
        return ()
    if deps is not None and deps.batch_links is not None:
        read = deps.batch_links.take_addresses(link.id)
        if read is not None:
            return read
    rows = AddressLink.select().where(AddressLink.customer_link == link.id)
    return tuple(stored_address(r) for r in rows)


def stored_account(deps: ExportDeps, key: str | None) -> StoredAccount | None:
    if key is None:
        return None
    read, row = (False, None) if deps.batch_links is None else deps.batch_links.take_account(key)
    if not read:
        row = account_link(deps, key)
    if row is None:
        return None
    return StoredAccount(row.state == "linked", row.account_id, row.payload_hash or "")


def known_of(
    deps: ExportDeps,
    link: CustomerLink | None,
    account_key: str | None,
    *,
    found_by: Resolved,
    contact_id: int | None = None,
    is_guest: bool = False,
    landed: bool = False,
    guest_link: str | None = None,
) -> Known:
    """What the stored rows say of an entity whose contact was found ``found_by``."""
    return Known(
        found_by=found_by,
        contact_id=contact_id,
        is_guest=is_guest,
        landed=landed,
        sent=sent_of(link),
        account_id=link.account_id if link is not None else None,
        addresses=stored_addresses(link, deps),
        account=stored_account(deps, account_key),
        guest_link=guest_link,
    )


def save_account(deps: ExportDeps, row: AccountLink, **changes: object) -> None:
    """Store the account row after a write, with the entity's provisional result."""
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    with write_transaction():
        row.save()
        note_write(deps)


def save_address(
    deps: ExportDeps,
    link: CustomerLink,
    write: AddressWrite,
    address_id: int,
    related: Sequence[AddressWrite] = (),
) -> None:
    """Link a created address relation, and record the ``related`` relations of the same
    address as pending (in the same commit), for the batch's relation array.

    Another run working the same customer may have linked it a moment ago; the API re-used
    the identical address, so both answers name the same record.
    """
    _forget_addresses(deps, link)
    with write_transaction():
        record_pending(deps, link, related, address_id)
        AddressLink.insert(
            customer_link=link.id,
            address_key=write.address_key,
            type_id=write.type_id,
            address_id=address_id,
            is_primary=write.is_primary,
            payload_hash=write.payload_hash,
        ).on_conflict(
            conflict_target=[
                AddressLink.customer_link,
                AddressLink.address_key,
                AddressLink.type_id,
            ],
            update={
                AddressLink.address_id: address_id,
                AddressLink.payload_hash: write.payload_hash,
                AddressLink.is_primary: write.is_primary,
            },
        ).execute()
        note_write(deps)


def record_pending(
    deps: ExportDeps, link: CustomerLink, related: Sequence[AddressWrite], address_id: int
) -> None:
    """Record relations to ``address_id`` that wait for the relation array (``pending``).

    A row already there (another worker's) is left as it is.
    """
    if not related:
        return
    now = utcnow()
    with write_transaction():
        AddressLink.insert_many(
            [
                {
                    "customer_link": link.id,
                    "address_key": write.address_key,
                    "type_id": write.type_id,
                    "address_id": address_id,
                    "is_primary": write.is_primary,
                    "payload_hash": write.payload_hash,
                    "relation_state": "pending",
                    "relation_owner": deps.claimant,
                    "relation_at": now,
                }
                for write in related
            ]
        ).on_conflict_ignore().execute()


def _forget_addresses(deps: ExportDeps, link: CustomerLink) -> None:
    """An address link of ``link`` changes: the batch's snapshot of them is no longer read."""
    if deps.batch_links is not None:
        deps.batch_links.forget_addresses(link.id)


def _address_row(link: CustomerLink, address_key: str, type_id: int) -> pw.Expression:
    return (
        (AddressLink.customer_link == link.id)
        & (AddressLink.address_key == address_key)
        & (AddressLink.type_id == type_id)
    )


def update_address(deps: ExportDeps, link: CustomerLink, write: AddressWrite) -> None:
    """Store an updated address relation's content fingerprint and primary flag."""
    _forget_addresses(deps, link)
    with write_transaction():
        AddressLink.update(
            payload_hash=write.payload_hash, is_primary=write.is_primary, updated_at=utcnow()
        ).where(_address_row(link, write.address_key, write.type_id)).execute()
        note_write(deps)


def drop_address(deps: ExportDeps, link: CustomerLink, write: AddressWrite) -> None:
    """Forget an unlinked address relation."""
    _forget_addresses(deps, link)
    with write_transaction():
        AddressLink.delete().where(_address_row(link, write.address_key, write.type_id)).execute()
        note_write(deps)


def relearn_address(deps: ExportDeps, link: CustomerLink, found: StoredAddress) -> None:
    """Link an address that landed after a timed-out write (a link already there stays)."""
    _forget_addresses(deps, link)
    with write_transaction():
        AddressLink.insert(
            customer_link=link.id,
            address_key=found.address_key,
            type_id=found.type_id,
            address_id=found.address_id,
            is_primary=found.is_primary,
            payload_hash=found.payload_hash,
        ).on_conflict_ignore().execute()
        note_write(deps)
