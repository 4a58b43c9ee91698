"""Applying the plan to a contact's account and addresses."""

from __future__ import annotations

from core.db.connection import write_transaction
from core.db.models import AccountLink, CustomerLink
from core.errors import DataError, Parked, WriteTimeoutError
from core.export.deps import ExportDeps
from core.export.identity import address_key_of
from core.export.links import (
    addresses_uncertain,
    claim_account,
    clear_addresses_uncertain,
    drop_address,
    mark_addresses_uncertain,
    record_pending,
    relearn_address,
    release_account_claim,
    save_account,
    save_address,
    save_written,
    take_over_account_claim,
    update_address,
)
from core.export.plan import AccountWrite, AddressWrite, StoredAccount, StoredAddress, plan_account
from core.mapping import AccountDraft, AddressDraft
from core.mapping.address import EXTERNAL_ADDRESS_ID


def apply_account(
    deps: ExportDeps, link: CustomerLink, draft: AccountDraft, write: AccountWrite
) -> int:
    """Create, update and link the account as planned; returns the writes made.

    The account row is claimed first; when another worker changed it since the plan was made
    (it created the account a colleague shares), the writes are planned again from the row.
    """
    if not write.calls:
        return 0
    writes = 0
    row, ours = claim_account(deps, draft.account_key)
    if write.create != (row.state == "creating"):
        now = StoredAccount(row.state == "linked", row.account_id, row.payload_hash or "")
        write = plan_account(draft, now, link.account_id)
    if write.create:
        if not ours and not take_over_account_claim(deps, row):
            raise Parked("another worker is creating this account")
        # A claim that was not fresh may stand for a create that landed: look first.
        account_id = None if ours else _find_account(deps, draft)
        if account_id is None:
            account_id = _create_account(deps, link, row, write)
            writes += 1
            if link.contact_id:
                # Created with the contact linked to it: the account row and the contact's
                # link to it are stored in one commit.
                with write_transaction():
                    save_account(
                        deps,
                        row,
                        account_id=account_id,
                        state="linked",
                        payload_hash=write.payload_hash,
                    )
                    save_written(deps, link, "updated", account_id=account_id)
                return writes
        save_account(
            deps, row, account_id=account_id, state="linked", payload_hash=write.payload_hash
        )
    elif write.update and row.account_id:
        deps.plenty.accounts.update(row.account_id, dict(write.payload))
        writes += 1
        save_account(deps, row, payload_hash=write.payload_hash)
    if link.account_id != row.account_id and link.contact_id and row.account_id:
        deps.plenty.accounts.link_contact(row.account_id, link.contact_id)
        writes += 1
        save_written(deps, link, "updated", account_id=row.account_id)
    return writes


def _create_account(
    deps: ExportDeps, link: CustomerLink, row: AccountLink, write: AccountWrite
) -> int:
    """Create the account, linked to the link's contact in the same call when it has one."""
    try:
        if link.contact_id:
            return deps.plenty.accounts.create_for_contact(link.contact_id, dict(write.payload)).id
        return deps.plenty.accounts.create(dict(write.payload)).id
    except WriteTimeoutError as exc:
        raise Parked("account create timed out") from exc
    except DataError:
        # Refused, so nothing landed: the next attempt must not wait for our claim.
        release_account_claim(deps, row)
        raise


def _find_account(deps: ExportDeps, draft: AccountDraft) -> int | None:
    """After an uncertain create: the account carrying our external id, if it landed."""
    wanted = draft.create_only.get("externalId")
    name = draft.managed.get("companyName", "")
    for account in deps.plenty.accounts.iterate({"companyName": f"eq:{name}"}):
        if account.externalId == wanted:
            return account.id
    return None


def apply_addresses(deps: ExportDeps, link: CustomerLink, writes: tuple[AddressWrite, ...]) -> int:
    """Send the planned address writes in order; returns the writes made.

    A create or update that times out flags the link, so the next attempt first re-learns
    what landed (``relearn_addresses``).
    """
    contact_id = link.contact_id
    assert contact_id is not None
    # Relations of an address the plan creates are recorded with its create; those of an
    # address we hold, at once. Both go out with the batch's relation array.
    related = [w for w in writes if w.action == "relate" and w.address_id is None]
    for write in writes:
        if write.action == "relate":
            if write.address_id is not None:
                record_pending(deps, link, [write], write.address_id)
            continue
        if write.action == "unlink":
            assert write.address_id is not None
            deps.plenty.addresses.unlink(contact_id, write.address_id, type_id=write.type_id)
            drop_address(deps, link, write)
            continue
        try:
            if write.action == "create":
                address = deps.plenty.addresses.create(
                    contact_id,
                    dict(write.payload),
                    type_id=write.type_id,
                    is_primary=write.is_primary,
                )
                mine = [r for r in related if r.address_key == write.address_key]
                save_address(deps, link, write, address.id, mine)
            else:
                assert write.address_id is not None
                deps.plenty.addresses.update(
                    contact_id,
                    write.address_id,
                    dict(write.payload),
                    type_id=write.type_id,
                    is_primary=write.is_primary,
                )
                update_address(deps, link, write)
        except WriteTimeoutError as exc:
            mark_addresses_uncertain(link)
            raise Parked("an address write timed out") from exc
    return sum(w.action != "relate" for w in writes)


def relearn_addresses(deps: ExportDeps, link: CustomerLink, drafts: list[AddressDraft]) -> None:
    """Re-learn address links after a timed-out write, by our external address id option.

    An address that landed as drafted is taken as sent; one that differs gets updated. Nothing
    happens unless the link carries the flag of a timed-out write.
    """
    if not addresses_uncertain(link):
        return
    by_key = {(d.address_key, d.type_id): d for d in drafts}
    contact_id = link.contact_id
    assert contact_id is not None
    for type_id in (1, 2):
        for address in deps.plenty.addresses.of_contact(contact_id, type_id=type_id):
            key = next(
                (
                    found
                    for o in address.options
                    if o.typeId == EXTERNAL_ADDRESS_ID
                    and (found := address_key_of(deps.namespace, o.value)) is not None
                ),
                None,
            )
            if key is None:
                continue
            draft = by_key.get((key, type_id))
            landed = address.model_dump()
            same = draft is not None and all(landed.get(k) == v for k, v in draft.managed.items())
            primary = draft.is_primary if draft is not None else False
            content = draft.content_fingerprint() if same and draft else ""
            relearn_address(deps, link, StoredAddress(key, type_id, address.id, primary, content))
    clear_addresses_uncertain(link)
