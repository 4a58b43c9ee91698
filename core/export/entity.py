"""Exporting one customer or guest: resolve, claim, create or update, account, addresses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.db.models import CustomerLink, utcnow
from core.errors import (
    ConflictError,
    DataError,
    NotFoundError,
    Parked,
    RecordError,
    WriteTimeoutError,
)
from core.export.deps import ExportDeps
from core.export.links import (
    adopt,
    claim,
    claim_is_held,
    drop_link,
    find_link,
    release_claim,
    save_written,
)
from core.export.parts import UNCERTAIN_ADDRESSES, sync_account, sync_addresses
from core.export.resolve import Resolution, resolve
from core.magento import Customer, GuestBuyer, UnreadableRecord
from core.mapping import (
    AccountDraft,
    AddressDraft,
    ContactDraft,
    customer_addresses,
    customer_key,
    guest_addresses,
    guest_key,
    map_account,
    map_customer,
    map_guest,
    skip_reason,
)
from core.states import Action, OutcomeAction


@dataclass
class Outcome:
    """What happened to one entity; ``parked`` ones are looked at again later."""

    action: OutcomeAction
    contact_id: int | None = None
    message: str = ""
    parked: bool = False
    changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    entity_type: str
    key: str
    contact: ContactDraft
    addresses: list[AddressDraft]
    account: AccountDraft | None
    warnings: list[str]
    guest_of_customer: str | None = None


def refused(exc: DataError) -> Outcome:
    """A record that cannot be sent, failed with its reason (and the value, for history)."""
    return Outcome("failed", message=exc.in_history() if isinstance(exc, RecordError) else str(exc))


def missing(records: Sequence[object], gone: str) -> Outcome:
    """An entity Magento did not return: gone, unless a record came back without its id."""
    if any(isinstance(r, UnreadableRecord) and r.record_id is None for r in records):
        return Outcome(
            "failed",
            message="Magento returned a record without a usable id with this batch; "
            "it may be this one",
        )
    return Outcome("skipped", message=gone)


def plan_customer(deps: ExportDeps, customer: Customer) -> Plan | Outcome:
    """The drafts for a customer, or the outcome when it is skipped or cannot be sent."""
    ctx = deps.ctx
    if deps.options.store_id is not None and customer.store_id != deps.options.store_id:
        return Outcome("skipped", message=f"not in store {deps.options.store_id}")
    reason = skip_reason(customer.store_id, customer.website_id, ctx)
    if reason:
        return Outcome("skipped", message=reason)
    try:
        contact = map_customer(customer, ctx)
    except DataError as exc:
        return refused(exc)
    addresses, warnings = customer_addresses(customer, ctx, contact)
    account, more = map_account(customer, ctx, contact)
    website = ctx.website_of(customer.store_id, customer.website_id)
    return Plan(
        "customer",
        customer_key(customer.id),
        contact,
        addresses,
        account,
        contact.warnings + warnings + more,
        guest_of_customer=guest_key(website, contact.email) if website is not None else None,
    )


def plan_guest(deps: ExportDeps, buyer: GuestBuyer) -> Plan | Outcome:
    ctx = deps.ctx
    reason = skip_reason(buyer.store_id, buyer.website_id, ctx)
    if reason:
        return Outcome("skipped", message=reason)
    try:
        contact = map_guest(buyer, ctx)
    except DataError as exc:
        return refused(exc)
    addresses, warnings = guest_addresses(buyer, ctx, contact)
    key = contact.identity.split(":", 2)[2]
    return Plan("guest", key, contact, addresses, None, contact.warnings + warnings)


def export_entity(deps: ExportDeps, plan: Plan) -> Outcome:
    """Send what the plan needs; a 404 on an update drops the link and resolves once more."""
    try:
        return _export(deps, plan)
    except NotFoundError:
        link = find_link(deps, plan.entity_type, plan.key)
        if link is not None:
            drop_link(link)
        return _export(deps, plan)
    except Parked as exc:
        return Outcome("parked", message=str(exc), parked=True)


def _export(deps: ExportDeps, plan: Plan) -> Outcome:
    found = resolve(deps, plan.entity_type, plan.key, plan.contact, plan.guest_of_customer)
    if found.skip:
        return Outcome("skipped", message=found.skip)
    if found.conflict:
        ids = ", ".join(str(c) for c in found.candidates)
        raise ConflictError(f"several PlentyONE contacts match by {found.how}: {ids}")
    if found.contact_id is None and deps.options.behaviour == "sync":
        return Outcome("skipped", message="no matching contact in PlentyONE (sync creates none)")
    created = _create_landed(deps, found)
    writes = 0
    if found.contact_id is None:
        link, writes = _create(deps, plan, found), 1
        created = True
    else:
        link, writes = _update(deps, plan, found, landed=created)
    if plan.account is not None:
        writes += sync_account(deps, link, plan.account)
    writes += (
        sync_addresses(deps, link, plan.addresses)
        if deps.ctx.settings.customer.create_address
        else 0
    )
    action: Action = "created" if created else "updated" if writes else "unchanged"
    return Outcome(action, link.contact_id, message="; ".join(plan.warnings))


def _create_landed(deps: ExportDeps, found: Resolution) -> bool:
    """A claim and a contact with our identity: the create of an earlier attempt landed.

    While another worker's fresh claim stands, that worker is still finishing its create.
    """
    claimed = found.link
    if found.how != "identity" or claimed is None or claimed.state != "creating":
        return False
    if claimed.claim_owner != deps.claimant and claim_is_held(deps, claimed, utcnow()):
        raise Parked("another worker is finishing the create of this contact")
    return True


def _create(deps: ExportDeps, plan: Plan, found: Resolution) -> CustomerLink:
    link = claim(deps, plan.entity_type, plan.key)
    if link is None:
        # Another worker's fresh claim, or ours while a write of an earlier attempt may land.
        raise Parked("the create claim on this entity is held; it is looked up again later")
    try:
        contact = deps.plenty.contacts.create(plan.contact.create_payload())
    except WriteTimeoutError as exc:
        raise Parked("the contact create timed out; it is looked up again later") from exc
    except DataError:
        # Refused, so nothing landed: the next export reports the reason at once, not a claim.
        release_claim(deps, link)
        raise
    save_written(
        deps,
        link,
        "created",
        contact_id=contact.id,
        state="linked",
        claim_owner="",
        sent=plan.contact.fingerprints(),
    )
    return link


def _update(
    deps: ExportDeps, plan: Plan, found: Resolution, *, landed: bool
) -> tuple[CustomerLink, int]:
    assert found.contact_id is not None
    writes = 0
    if found.how == "link" and found.link is not None:
        link = found.link
    elif landed and found.link is not None:
        link = found.link
        save_written(
            deps,
            link,
            "created",
            contact_id=found.contact_id,
            state="linked",
            claim_owner="",
            sent={},
        )
    else:
        link = adopt(deps, plan.entity_type, plan.key, found.contact_id)
        if found.how == "guest":
            guest = find_link(deps, "guest", plan.guest_of_customer or "")
            if found.is_guest:
                deps.plenty.contacts.convert_guest(found.contact_id)
                writes += 1
            if guest is not None:
                drop_link(guest)
    sent = {} if deps.options.force else dict(link.sent or {})
    sent.pop(UNCERTAIN_ADDRESSES, None)
    payload = plan.contact.update_payload(sent)
    if found.how not in ("link",):
        # An adopted contact gets our identity, so the next lookup finds it directly.
        payload[deps.ctx.identity_field] = plan.contact.identity
    if payload:
        try:
            deps.plenty.contacts.update(found.contact_id, payload)
        except WriteTimeoutError as exc:
            raise Parked("the contact update timed out; it is sent again later") from exc
        writes += 1
        keep = {k: v for k, v in (link.sent or {}).items() if k == UNCERTAIN_ADDRESSES}
        save_written(deps, link, "updated", sent={**plan.contact.fingerprints(), **keep})
    return link, writes
