"""Exporting one customer or guest: draft, resolve, plan, then apply the plan.

``draft_customer``/``draft_guest`` map a record into ``plan.Drafts``; ``export_entity``
resolves its contact, reads what the link rows know (``links.known_of``), lets
``plan.plan_entity`` decide the writes and applies them: the contact here (claim and create,
or adopt and update), the account and addresses in ``parts``.
"""

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
from core.export import relations
from core.export.deps import ExportDeps
from core.export.identity import customer_key, guest_key, key_of_identity
from core.export.links import (
    UNCERTAIN_ADDRESSES,
    adopt,
    claim,
    claim_is_held,
    drop_link,
    find_link,
    known_of,
    release_claim,
    save_written,
)
from core.export.parts import apply_account, apply_addresses, relearn_addresses
from core.export.plan import ContactWrite, Drafts, EntityPlan, Known, Rules, plan_entity
from core.export.resolve import Resolution, resolve
from core.magento import Customer, GuestBuyer, UnreadableRecord
from core.mapping import (
    customer_addresses,
    guest_addresses,
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


def draft_customer(deps: ExportDeps, customer: Customer) -> Drafts | Outcome:
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
    return Drafts(
        "customer",
        customer_key(customer.id),
        contact,
        tuple(addresses),
        account,
        tuple(contact.warnings + warnings + more),
        guest_of_customer=guest_key(website, contact.email) if website is not None else None,
    )


def draft_guest(deps: ExportDeps, buyer: GuestBuyer) -> Drafts | Outcome:
    """The drafts for a guest buyer, or the outcome when it is skipped or cannot be sent."""
    ctx = deps.ctx
    reason = skip_reason(buyer.store_id, buyer.website_id, ctx)
    if reason:
        return Outcome("skipped", message=reason)
    try:
        contact = map_guest(buyer, ctx)
    except DataError as exc:
        return refused(exc)
    addresses, warnings = guest_addresses(buyer, ctx, contact)
    key = key_of_identity(contact.identity)
    return Drafts("guest", key, contact, tuple(addresses), None, tuple(contact.warnings + warnings))


def rules_of(deps: ExportDeps) -> Rules:
    """The profile's and run's choices the planning step follows."""
    return Rules(
        identity_field=deps.ctx.identity_field,
        force=deps.options.force,
        creates=deps.options.behaviour != "sync",
        addresses=deps.ctx.settings.customer.create_address,
    )


def known_for(deps: ExportDeps, drafts: Drafts, found: Resolution, *, landed: bool) -> Known:
    """What the link rows know of an entity whose contact ``resolve`` found (or did not)."""
    account_key = drafts.account.account_key if drafts.account is not None else None
    return known_of(
        deps,
        found.link,
        account_key,
        found_by=found.how,
        contact_id=found.contact_id,
        is_guest=found.is_guest,
        landed=landed,
        guest_link=drafts.guest_of_customer if found.how == "guest" else None,
    )


def export_entity(deps: ExportDeps, drafts: Drafts) -> Outcome:
    """Plan and send the entity's writes; a 404 on an update drops the link and tries once more."""
    try:
        return _export(deps, drafts)
    except NotFoundError:
        link = find_link(deps, drafts.entity_type, drafts.key)
        if link is not None:
            drop_link(link)
        return _export(deps, drafts)
    except Parked as exc:
        return Outcome("parked", message=str(exc), parked=True)


def _export(deps: ExportDeps, drafts: Drafts) -> Outcome:
    found = resolve(deps, drafts.entity_type, drafts.key, drafts.contact, drafts.guest_of_customer)
    if found.skip:
        return Outcome("skipped", message=found.skip)
    if found.conflict:
        ids = ", ".join(str(c) for c in found.candidates)
        raise ConflictError(f"several PlentyONE contacts match by {found.how}: {ids}")
    rules = rules_of(deps)
    landed = _create_landed(deps, found)
    if found.how == "link" and found.link is not None and rules.addresses:
        # An address write of an earlier attempt timed out: learn what landed before planning.
        relearn_addresses(deps, found.link, list(drafts.addresses))
    known = known_for(deps, drafts, found, landed=landed)
    if found.link is not None and any(a.pending for a in known.addresses):
        # Relations an earlier go left pending (a crash, a timeout) go out with this batch.
        relations.adopt(deps, found.link.id)
    plan = plan_entity(drafts, known, rules)
    if plan.skipped:
        return Outcome("skipped", message=plan.skipped)
    return apply_plan(deps, drafts, found, plan)


def apply_plan(deps: ExportDeps, drafts: Drafts, found: Resolution, plan: EntityPlan) -> Outcome:
    """Send the plan's writes in order, each link row committed right after its call."""
    contact = plan.contact
    if contact.action == "create":
        link, writes = _create(deps, drafts, contact), 1
    else:
        link, writes = _link(deps, drafts, found, contact)
        writes += _update(deps, drafts, link, found, contact)
    if plan.account is not None and drafts.account is not None:
        writes += apply_account(deps, link, drafts.account, plan.account)
    writes += apply_addresses(deps, link, plan.addresses)
    created = contact.action == "create" or contact.link == "landed"
    action: Action = "created" if created else "updated" if writes else "unchanged"
    return Outcome(action, link.contact_id, message="; ".join(drafts.warnings))


def landed_create(found: Resolution) -> bool:
    """A claim and a contact with our identity: the create of an earlier attempt landed."""
    claimed = found.link
    return found.how == "identity" and claimed is not None and claimed.state == "creating"


def _create_landed(deps: ExportDeps, found: Resolution) -> bool:
    """``landed_create``; while another worker's fresh claim stands, that worker is still
    finishing its create.
    """
    claimed = found.link
    if claimed is None or not landed_create(found):
        return False
    if claimed.claim_owner != deps.claimant and claim_is_held(deps, claimed, utcnow()):
        raise Parked("another worker is finishing the create of this contact")
    return True


def _create(deps: ExportDeps, drafts: Drafts, write: ContactWrite) -> CustomerLink:
    link = claim(deps, drafts.entity_type, drafts.key)
    if link is None:
        # Another worker's fresh claim, or ours while a write of an earlier attempt may land.
        raise Parked("the create claim on this entity is held; it is looked up again later")
    try:
        contact = deps.plenty.contacts.create(dict(write.payload))
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
        sent=drafts.contact.fingerprints(),
    )
    return link


def _link(
    deps: ExportDeps, drafts: Drafts, found: Resolution, write: ContactWrite
) -> tuple[CustomerLink, int]:
    """The entity's link to the contact found: kept, completed after a landed create, or new."""
    assert found.contact_id is not None
    if write.link == "keep" and found.link is not None:
        return found.link, 0
    if write.link == "landed" and found.link is not None:
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
        return link, 0
    writes = 0
    link = adopt(deps, drafts.entity_type, drafts.key, found.contact_id)
    if write.guest_link is not None:
        guest = find_link(deps, "guest", write.guest_link)
        if write.convert_guest:
            deps.plenty.contacts.convert_guest(found.contact_id)
            writes += 1
        if guest is not None:
            drop_link(guest)
    return link, writes


def _update(
    deps: ExportDeps, drafts: Drafts, link: CustomerLink, found: Resolution, write: ContactWrite
) -> int:
    if write.action != "update":
        return 0
    assert found.contact_id is not None
    try:
        deps.plenty.contacts.update(found.contact_id, dict(write.payload))
    except WriteTimeoutError as exc:
        raise Parked("the contact update timed out; it is sent again later") from exc
    keep = {k: v for k, v in (link.sent or {}).items() if k == UNCERTAIN_ADDRESSES}
    save_written(deps, link, "updated", sent={**drafts.contact.fingerprints(), **keep})
    return 1
