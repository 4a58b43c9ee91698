"""Links by hand: inspect a customer's link, link it to a chosen contact, unlink it, and settle
the conflicts the export left for a human (several contacts matching one customer).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.db.models import AddressLink, CustomerLink, Profile, Run, RunItem
from core.errors import ConfigError, ConflictError, NotFoundError
from core.export.batch import customer_drafts
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.identity import customer_key, identity
from core.export.links import adopt, drop_link, find_link, other_entities_of
from core.export.plan import Drafts
from core.export.resolve import resolve
from core.mapping.context import CONTACT_TYPE_CUSTOMER
from core.tools.dryrun import EntityPreview, preview_entity
from core.tools.session import tool_deps

__all__ = [
    "ConflictEntry",
    "MappingReport",
    "check_mapping",
    "link_customer",
    "list_conflicts",
    "resolve_conflict",
    "unlink_customer",
]


@dataclass
class MappingReport:
    """Everything about one customer's link: the row, the last export, what would be sent."""

    customer_id: int
    identity: str
    link: dict[str, Any] | None
    addresses: list[dict[str, Any]] = field(default_factory=list)
    last_export: dict[str, Any] | None = None
    preview: EntityPreview | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["preview"] = asdict(self.preview) if self.preview else None
        return data


def _latest_item(profile: Profile, key: str) -> RunItem | None:
    return (
        RunItem.select()
        .join(Run)
        .where(
            (Run.profile == profile.id)
            & (RunItem.entity_type == "customer")
            & (RunItem.entity_key == key)
        )
        .order_by(RunItem.id.desc())
        .first()
    )


def check_mapping(
    profile: Profile,
    customer_id: int,
    *,
    live: bool = False,
    mask: bool | None = None,
    backends: Backends | None = None,
) -> MappingReport:
    """The link of one customer, its last export and the payload diff an export would send.

    ``mask`` says whether live values are masked (None: as the settings say).
    """
    key = customer_key(customer_id)
    with tool_deps(profile, read_only=True, backends=backends) as deps:
        link = find_link(deps, "customer", key)
        report = MappingReport(customer_id, identity(deps.namespace, "customer", key), None)
        if link is not None:
            report.link = {
                "state": link.state,
                "contact_id": link.contact_id,
                "account_id": link.account_id,
                "updated_at": link.updated_at,
                "sent_fields": sorted(link.sent or {}),
            }
            report.addresses = [
                {"key": a.address_key, "type_id": a.type_id, "address_id": a.address_id,
                 "primary": a.is_primary,
                 # Waiting for a relation array ("pending", "sending"): not in PlentyONE yet.
                 **({"relation": a.relation_state} if a.relation_state else {})}
                for a in AddressLink.select().where(AddressLink.customer_link == link.id)
            ]  # fmt: skip
        item = _latest_item(profile, key)
        if item is not None:
            report.last_export = {
                "run": item.run.id,
                "action": item.action,
                "contact_id": item.contact_id,
                "message": item.message,
                "at": item.created_at,
            }
        planned = customer_drafts(deps, [key])[key]
        report.preview = preview_entity(deps, profile, key, planned, live=live, mask=mask)
    return report


def _plan(deps: ExportDeps, key: str) -> Drafts:
    planned = customer_drafts(deps, [key])[key]
    if not isinstance(planned, Drafts):
        raise ConfigError(f"customer {key} is not exported by this profile: {planned.message}")
    return planned


def link_customer(
    profile: Profile, customer_id: int, contact_id: int, backends: Backends | None = None
) -> str:
    """Link a customer to a contact chosen by a person; the next export sends every field.

    Refused, before anything is written, when Magento has no such customer or the contact
    belongs to another entity of ours (a link here, or another identity of our namespace).
    """
    with tool_deps(profile, read_only=False, backends=backends) as deps:
        try:
            deps.magento.customers.get(customer_id)
        except NotFoundError:
            raise ConfigError(
                f"Magento source {profile.source.name!r} has no customer {customer_id}; "
                "nothing was linked"
            ) from None
        return _link(deps, customer_key(customer_id), contact_id)


def _link(deps: ExportDeps, key: str, contact_id: int) -> str:
    contact = deps.plenty.contacts.get(contact_id, with_=())
    if contact.typeId is not None and contact.typeId != CONTACT_TYPE_CUSTOMER:
        raise ConfigError(f"contact {contact_id} is not of type customer (type {contact.typeId})")
    others = other_entities_of(deps, [contact_id], "customer", key)
    if others:
        kind, other = others[contact_id]
        raise ConflictError(
            f"contact {contact_id} is linked to {kind} {other} already; unlink that first"
        )
    ours = identity(deps.namespace, "customer", key)
    carried = getattr(contact, deps.ctx.identity_field) or ""
    if carried.startswith(f"{deps.namespace}:") and carried != ours:
        raise ConflictError(
            f"contact {contact_id} carries the identity {carried} of another entity of ours"
        )
    current = find_link(deps, "customer", key)
    if current is not None and current.contact_id not in (None, contact_id):
        # Its address links name addresses of the old contact: they go with the old link.
        drop_link(current)
    adopt(deps, "customer", key, contact_id)
    if carried != ours:
        deps.plenty.contacts.update(contact_id, {deps.ctx.identity_field: ours})
    return (
        f"customer {key} linked to contact {contact_id} ({ours}); the next export sends all fields"
    )


def unlink_customer(
    profile: Profile,
    customer_id: int,
    *,
    clear_identity: bool = True,
    backends: Backends | None = None,
) -> str:
    """Drop a customer's link (and address links); by default take our identity off the contact.

    Without clearing it the next export would find the same contact by identity again.
    """
    key = customer_key(customer_id)
    with tool_deps(profile, read_only=not clear_identity, backends=backends) as deps:
        link = find_link(deps, "customer", key)
        if link is None:
            raise ConfigError(f"customer {key} has no link for profile {profile.name!r}")
        contact_id = link.contact_id
        drop_link(link)
        done = f"customer {key}: link to contact {contact_id} removed"
        if clear_identity and contact_id:
            ours = identity(deps.namespace, "customer", key)
            contact = deps.plenty.contacts.get(contact_id, with_=())
            if getattr(contact, deps.ctx.identity_field) == ours:
                deps.plenty.contacts.update(contact_id, {deps.ctx.identity_field: ""})
                done += f"; identity {ours} taken off the contact"
        return done


@dataclass(frozen=True)
class ConflictEntry:
    customer_id: str
    run: int
    message: str
    at: Any


def list_conflicts(profile: Profile) -> list[ConflictEntry]:
    """Customers whose latest export ended in a conflict and that are still not linked."""
    keys = {
        row.entity_key
        for row in RunItem.select(RunItem.entity_key)
        .join(Run)
        .where(
            (Run.profile == profile.id)
            & (RunItem.action == "conflict")
            & (RunItem.entity_type == "customer")
        )
    }
    entries = []
    for key in sorted(keys, key=lambda k: (len(k), k)):
        item = _latest_item(profile, key)
        if item is None or item.action != "conflict":
            continue
        link = CustomerLink.get_or_none(
            (CustomerLink.client == profile.client_id)
            & (CustomerLink.namespace == profile.source.namespace)
            & (CustomerLink.entity_type == "customer")
            & (CustomerLink.entity_key == key)
            & (CustomerLink.state == "linked")
        )
        if link is None:
            entries.append(ConflictEntry(key, item.run.id, item.message, item.created_at))
    return entries


def resolve_conflict(
    profile: Profile, customer_id: int, contact_id: int, backends: Backends | None = None
) -> str:
    """Choose ``contact_id`` among the contacts that match the customer now."""
    key = customer_key(customer_id)
    with tool_deps(profile, read_only=False, backends=backends) as deps:
        plan = _plan(deps, key)
        found = resolve(deps, "customer", key, plan.contact, plan.guest_of_customer)
        candidates = found.candidates or ([found.contact_id] if found.contact_id else [])
        if contact_id not in candidates:
            listed = ", ".join(str(c) for c in candidates) or "none"
            raise ConfigError(
                f"contact {contact_id} is not among the contacts matching customer {key} "
                f"({listed}); 'customer link' links any contact on purpose"
            )
        return _link(deps, key, contact_id)
