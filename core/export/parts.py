"""Keeping a contact's account and addresses in step with their drafts."""

from __future__ import annotations

from core.db.connection import write_transaction
from core.db.models import AccountLink, AddressLink, CustomerLink, utcnow
from core.errors import DataError, Parked, WriteTimeoutError
from core.export.deps import ExportDeps
from core.export.links import (
    claim_account,
    note_write,
    release_account_claim,
    save_link,
    save_written,
    take_over_account_claim,
)
from core.mapping import AccountDraft, AddressDraft, fingerprint
from core.mapping.address import EXTERNAL_ADDRESS_ID

UNCERTAIN_ADDRESSES = "_addresses_uncertain"


def sync_account(deps: ExportDeps, link: CustomerLink, draft: AccountDraft) -> int:
    """Make sure the account exists, is current and holds the contact; returns writes made."""
    writes = 0
    row, ours = claim_account(deps, draft.account_key)
    if row.state == "creating":
        if not ours and not take_over_account_claim(deps, row):
            raise Parked("another worker is creating this account")
        # A claim that was not fresh may stand for a create that landed: look first.
        account_id = None if ours else _find_account(deps, draft)
        if account_id is None:
            try:
                account_id = deps.plenty.accounts.create(draft.create_payload()).id
            except WriteTimeoutError as exc:
                raise Parked("account create timed out") from exc
            except DataError:
                # Refused, so nothing landed: the next attempt must not wait for our claim.
                release_account_claim(deps, row)
                raise
            writes += 1
        _mark(
            deps,
            link,
            row,
            account_id=account_id,
            state="linked",
            payload_hash=fingerprint(draft.managed),
        )
    elif row.payload_hash != fingerprint(draft.managed) and row.account_id:
        deps.plenty.accounts.update(row.account_id, draft.managed)
        writes += 1
        _mark(deps, link, row, payload_hash=fingerprint(draft.managed))
    if link.account_id != row.account_id and link.contact_id and row.account_id:
        deps.plenty.accounts.link_contact(row.account_id, link.contact_id)
        writes += 1
        save_written(deps, link, "updated", account_id=row.account_id)
    return writes


def _mark(deps: ExportDeps, link: CustomerLink, row: AccountLink, **changes: object) -> None:
    """Store the account row after a write, with the entity's provisional result."""
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    with write_transaction():
        row.save()
        note_write(deps)


def _find_account(deps: ExportDeps, draft: AccountDraft) -> int | None:
    """After an uncertain create: the account carrying our external id, if it landed."""
    wanted = draft.create_only.get("externalId")
    name = draft.managed.get("companyName", "")
    for account in deps.plenty.accounts.iterate({"companyName": f"eq:{name}"}):
        if account.externalId == wanted:
            return account.id
    return None


def sync_addresses(
    deps: ExportDeps,
    link: CustomerLink,
    drafts: list[AddressDraft],
    keep_unlisted: frozenset[int] = frozenset(),
) -> int:
    """Create, update and unlink addresses until PlentyONE matches the drafts; returns writes.

    Relations of a type in ``keep_unlisted`` stay when no draft names them (a guest's earlier
    delivery addresses are history, not removals).
    """
    contact_id = link.contact_id
    assert contact_id is not None
    if (link.sent or {}).get(UNCERTAIN_ADDRESSES):
        _adopt_landed_addresses(deps, link, drafts)
    existing = {
        (a.address_key, a.type_id): a
        for a in AddressLink.select().where(AddressLink.customer_link == link.id)
    }
    wanted = {(d.address_key, d.type_id): d for d in drafts}
    writes = 0
    for key, draft in wanted.items():
        current = existing.get(key)
        content = draft.content_fingerprint()
        try:
            if current is None:
                address = deps.plenty.addresses.create(
                    contact_id,
                    draft.create_payload(),
                    type_id=draft.type_id,
                    is_primary=draft.is_primary,
                )
                writes += 1
                # Another run working the same customer may have linked it a moment ago; the
                # API re-used the identical address, so both answers name the same record.
                with write_transaction():
                    AddressLink.insert(
                        customer_link=link.id,
                        address_key=draft.address_key,
                        type_id=draft.type_id,
                        address_id=address.id,
                        is_primary=draft.is_primary,
                        payload_hash=content,
                    ).on_conflict(
                        conflict_target=[
                            AddressLink.customer_link,
                            AddressLink.address_key,
                            AddressLink.type_id,
                        ],
                        update={
                            AddressLink.address_id: address.id,
                            AddressLink.payload_hash: content,
                            AddressLink.is_primary: draft.is_primary,
                        },
                    ).execute()
                    note_write(deps)
            elif current.payload_hash != content or current.is_primary != draft.is_primary:
                deps.plenty.addresses.update(
                    contact_id,
                    current.address_id,
                    draft.create_payload(),
                    type_id=draft.type_id,
                    is_primary=draft.is_primary,
                )
                writes += 1
                current.payload_hash, current.is_primary = content, draft.is_primary
                current.updated_at = utcnow()
                with write_transaction():
                    current.save()
                    note_write(deps)
        except WriteTimeoutError as exc:
            save_link(link, sent={**(link.sent or {}), UNCERTAIN_ADDRESSES: True})
            raise Parked("an address write timed out") from exc
    for key, gone in existing.items():
        if key not in wanted and gone.type_id not in keep_unlisted:
            deps.plenty.addresses.unlink(contact_id, gone.address_id, type_id=gone.type_id)
            writes += 1
            with write_transaction():
                gone.delete_instance()
                note_write(deps)
    return writes


def _adopt_landed_addresses(
    deps: ExportDeps, link: CustomerLink, drafts: list[AddressDraft]
) -> None:
    """Re-learn address links after a timed-out write, by our external address id option.

    An address that landed as drafted is taken as sent; one that differs gets updated.
    """
    by_key = {(d.address_key, d.type_id): d for d in drafts}
    prefix = f"{deps.namespace}:a:"
    contact_id = link.contact_id
    assert contact_id is not None
    for type_id in (1, 2):
        for address in deps.plenty.addresses.of_contact(contact_id, type_id=type_id):
            external = next(
                (
                    o.value
                    for o in address.options
                    if o.typeId == EXTERNAL_ADDRESS_ID and o.value.startswith(prefix)
                ),
                None,
            )
            if external is None:
                continue
            key = external[len(prefix) :]
            draft = by_key.get((key, type_id))
            landed = address.model_dump()
            same = draft is not None and all(landed.get(k) == v for k, v in draft.managed.items())
            with write_transaction():
                AddressLink.insert(
                    customer_link=link.id,
                    address_key=key,
                    type_id=type_id,
                    address_id=address.id,
                    is_primary=draft.is_primary if draft is not None else False,
                    payload_hash=draft.content_fingerprint() if same and draft else "",
                ).on_conflict_ignore().execute()
                note_write(deps)
    sent = dict(link.sent or {})
    sent.pop(UNCERTAIN_ADDRESSES, None)
    save_link(link, sent=sent)
