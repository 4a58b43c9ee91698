"""One customer as a front end looks it up, and the links an operator sets by hand.

A customer is named by its Magento id or by e-mail (a registered customer first, else a
guest buyer of the profile's source). The lookup reads this database and Magento only: the
link, its addresses, the latest run item, and the fields we own with the state of their
fingerprints (sent as they are now, changed since, never sent). ``live_diff`` also asks
PlentyONE, read-only, how the export would find the contact and what it would send now.
Conflicts (several contacts matching one customer) are listed, their candidates read, and
settled by choosing one; ``link_to_contact`` and ``unlink`` set or drop a link on purpose.

The work is ``core.tools.link_tools`` and ``core.tools.dryrun``; this module names the
profile by id or name and hands back frozen values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from core.db.models import AddressLink, CustomerLink, GuestKey, Profile, Run, RunItem
from core.emails import normalise_email
from core.errors import ConfigError, InputError, NotFoundError
from core.export.batch import customer_drafts
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.entity import Outcome
from core.export.guests import guest_drafts
from core.export.identity import customer_key, guest_batch_key, guest_key, identity
from core.export.links import UNCERTAIN_ADDRESSES, find_link
from core.export.plan import Drafts
from core.export.resolve import resolve
from core.profiles.service import get_profile
from core.tools import link_tools
from core.tools.dryrun import preview_entity
from core.tools.session import tool_deps

__all__ = [
    "AddressView",
    "Candidates",
    "ConflictView",
    "CustomerLookup",
    "FieldDiff",
    "LastExport",
    "LinkView",
    "LiveDiff",
    "OwnedField",
    "conflict_candidates",
    "customer_conflicts",
    "link_to_contact",
    "live_diff",
    "look_up_customer",
    "resolve_customer_conflict",
    "unlink",
]

ProfileRef = str | int
EntityKind = Literal["customer", "guest"]
FieldState = Literal["sent", "changed", "not sent", "not mapped"]


@dataclass(frozen=True)
class LinkView:
    """Our link row: which contact (and account) is the customer's, and when we last sent."""

    state: str  # creating | linked
    contact_id: int | None
    account_id: int | None
    updated_at: dt.datetime  # the last write of the row (a create, an update, a link)
    addresses_uncertain: bool  # an address write timed out; the next export looks it up


@dataclass(frozen=True)
class AddressView:
    """A Magento address we attached to the contact, in one relation type."""

    key: str
    type_id: int  # 1 billing, 2 delivery
    address_id: int
    primary: bool


@dataclass(frozen=True)
class LastExport:
    """The customer's latest run item for the profile."""

    run: int
    action: str
    contact_id: int | None
    message: str
    at: dt.datetime


@dataclass(frozen=True)
class OwnedField:
    """A contact field or option we own, and how its fingerprint compares with what we sent.

    ``sent``: what we last sent is what Magento gives now; ``changed``: Magento's value
    changed since, the next export sends it; ``not sent``: no fingerprint yet (no link, or
    the mapping started owning it later); ``not mapped``: we sent it once, the mapping no
    longer produces it. Only names and states: the values stay out of this view.
    """

    name: str
    state: FieldState


@dataclass(frozen=True)
class CustomerLookup:
    """Everything this database and Magento say about one customer or guest of a profile."""

    profile_id: int
    profile_name: str
    entity_type: EntityKind
    key: str  # the link's entity key: "42", or "<website>:<e-mail hash>" for a guest
    batch_key: str  # what runs and previews name it by: "42", or "g:<row>" for a guest
    customer_id: int | None
    identity: str
    link: LinkView | None
    addresses: tuple[AddressView, ...]
    last_export: LastExport | None
    owned: tuple[OwnedField, ...]
    not_exported: str  # why the profile does not export it ("" when it does)

    @property
    def found_by(self) -> str:
        """What this database records of how the contact was found: the link, or nothing."""
        if self.link is not None and self.link.state == "linked" and self.link.contact_id:
            return "link"
        return ""


@dataclass(frozen=True)
class FieldDiff:
    """One field whose value in PlentyONE differs from what we would send."""

    name: str
    theirs: str  # PlentyONE now
    ours: str  # what the next export would send


@dataclass(frozen=True)
class LiveDiff:
    """What the next export would do to the customer, with PlentyONE read as it is now."""

    batch_key: str
    action: str  # create | update | unchanged | conflict | skipped | failed
    contact_id: int | None
    found_by: str  # link | index | identity | email | guest | new
    reason: str
    fields: tuple[str, ...]  # the fields and options the export would send
    addresses: tuple[str, ...]
    account: str
    writes: int
    diffs: tuple[FieldDiff, ...]


@dataclass(frozen=True)
class ConflictView:
    """A customer whose latest export found several matching contacts and that has no link."""

    customer_id: str
    run: int
    message: str
    at: dt.datetime


@dataclass(frozen=True)
class Candidates:
    """The contacts that match a customer now, and how they were found."""

    customer_id: int
    found_by: str
    contact_ids: tuple[int, ...]


@dataclass(frozen=True)
class _Named:
    entity_type: EntityKind
    key: str
    batch_key: str
    customer_id: int | None


def _named(deps: ExportDeps, profile: Profile, query: str) -> _Named:
    """The customer ``query`` names: a Magento id, or an e-mail (registered, then guest)."""
    text = query.strip()
    if text.isdigit():
        number = int(text)
        return _Named("customer", customer_key(number), customer_key(number), number)
    if "@" not in text:
        raise InputError("look up by Magento customer id (digits) or by e-mail address")
    email = normalise_email(text)
    ids = deps.magento.customers.find_by_email(email)
    if ids:
        return _Named("customer", customer_key(ids[0]), customer_key(ids[0]), ids[0])
    row = (
        GuestKey.select()
        .where((GuestKey.source == profile.source_id) & (GuestKey.email == email))
        .order_by(GuestKey.website_id)
        .first()
    )
    if row is None:
        # The address itself stays out of the message: error texts may reach a log.
        raise InputError(
            f"no customer of Magento source {profile.source.name!r} and no guest buyer "
            "known to plentysync has this e-mail"
        )
    return _Named("guest", guest_key(row.website_id, row.email), guest_batch_key(row.id), None)


def _described(named: _Named) -> str:
    return f"customer {named.key}" if named.entity_type == "customer" else "guest buyer"


def _drafts(deps: ExportDeps, named: _Named) -> Drafts | Outcome:
    if named.entity_type == "guest":
        return guest_drafts(deps, [named.batch_key])[named.batch_key]
    return customer_drafts(deps, [named.key])[named.key]


def _latest_item(profile: Profile, named: _Named) -> LastExport | None:
    # A run item names a guest by its GuestKey row, a customer by its id.
    item_key = named.batch_key.removeprefix("g:")
    item = (
        RunItem.select(RunItem, Run.id)
        .join(Run)
        .where(
            (Run.profile == profile.id)
            & (RunItem.entity_type == named.entity_type)
            & (RunItem.entity_key == item_key)
        )
        .order_by(RunItem.id.desc())
        .first()
    )
    if item is None:
        return None
    return LastExport(item.run.id, item.action, item.contact_id, item.message, item.created_at)


def _owned(planned: Drafts | Outcome, link: CustomerLink | None) -> tuple[OwnedField, ...]:
    sent = dict(link.sent or {}) if link is not None else {}
    sent.pop(UNCERTAIN_ADDRESSES, None)
    now = planned.contact.fingerprints() if isinstance(planned, Drafts) else {}
    fields: list[OwnedField] = []
    for name, print_now in sorted(now.items()):
        before = sent.get(name)
        state: FieldState = (
            "not sent" if before is None else "sent" if before == print_now else "changed"
        )
        fields.append(OwnedField(name, state))
    if isinstance(planned, Drafts):
        fields += [OwnedField(name, "not mapped") for name in sorted(set(sent) - set(now))]
    return tuple(fields)


def look_up_customer(
    profile: ProfileRef, query: str, *, backends: Backends | None = None
) -> CustomerLookup:
    """The link, last export and owned fields of the customer ``query`` names (reads only).

    ``query`` is a Magento customer id or an e-mail address; an e-mail that no registered
    customer has is looked up among the guest buyers plentysync knows of the source.
    """
    chosen = get_profile(profile)
    with tool_deps(chosen, read_only=True, backends=backends) as deps:
        named = _named(deps, chosen, query)
        link = find_link(deps, named.entity_type, named.key)
        planned = _drafts(deps, named)
        last_export = _latest_item(chosen, named)
        if isinstance(planned, Outcome) and link is None and last_export is None:
            raise NotFoundError(
                f"{_described(named)} of Magento source {chosen.source.name!r}: "
                f"{planned.message}, and plentysync holds nothing about it"
            )
        addresses: tuple[AddressView, ...] = ()
        link_view = None
        if link is not None:
            link_view = LinkView(
                link.state,
                link.contact_id,
                link.account_id,
                link.updated_at,
                bool((link.sent or {}).get(UNCERTAIN_ADDRESSES)),
            )
            addresses = tuple(
                AddressView(a.address_key, a.type_id, a.address_id, a.is_primary)
                for a in AddressLink.select()
                .where(AddressLink.customer_link == link.id)
                .order_by(AddressLink.type_id, AddressLink.address_key)
            )
        return CustomerLookup(
            profile_id=chosen.id,
            profile_name=chosen.name,
            entity_type=named.entity_type,
            key=named.key,
            batch_key=named.batch_key,
            customer_id=named.customer_id,
            identity=identity(deps.namespace, named.entity_type, named.key),
            link=link_view,
            addresses=addresses,
            last_export=last_export,
            owned=_owned(planned, link),
            not_exported=planned.message if isinstance(planned, Outcome) else "",
        )


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def live_diff(
    profile: ProfileRef, query: str, *, mask: bool = False, backends: Backends | None = None
) -> LiveDiff:
    """What the next export would send the customer, against the contact in PlentyONE now.

    PlentyONE is only read (its client refuses writes). Values are real unless ``mask``:
    this is for the operator's own screen, never for a log.
    """
    chosen = get_profile(profile)
    with tool_deps(chosen, read_only=True, backends=backends) as deps:
        named = _named(deps, chosen, query)
        planned = _drafts(deps, named)
        preview = preview_entity(deps, chosen, named.batch_key, planned, live=True, mask=mask)
    return LiveDiff(
        batch_key=named.batch_key,
        action=preview.action,
        contact_id=preview.contact_id,
        found_by=preview.found_by,
        reason=preview.reason,
        fields=tuple(preview.fields),
        addresses=tuple(preview.addresses),
        account=preview.account,
        writes=preview.writes,
        diffs=tuple(
            FieldDiff(name, _shown(pair.get("plenty")), _shown(pair.get("ours")))
            for name, pair in sorted(preview.live.items())
        ),
    )


def customer_conflicts(profile: ProfileRef) -> tuple[ConflictView, ...]:
    """Customers whose latest export ended in a conflict and that are still not linked."""
    return tuple(
        ConflictView(c.customer_id, c.run, c.message, c.at)
        for c in link_tools.list_conflicts(get_profile(profile))
    )


def conflict_candidates(
    profile: ProfileRef, customer_id: int, *, backends: Backends | None = None
) -> Candidates:
    """The contacts matching the customer in PlentyONE now, as the export looks (reads only)."""
    chosen = get_profile(profile)
    key = customer_key(customer_id)
    with tool_deps(chosen, read_only=True, backends=backends) as deps:
        planned = customer_drafts(deps, [key])[key]
        if not isinstance(planned, Drafts):
            raise ConfigError(f"customer {key} is not exported by this profile: {planned.message}")
        found = resolve(deps, "customer", key, planned.contact, planned.guest_of_customer)
    ids = found.candidates or ((found.contact_id,) if found.contact_id else ())
    return Candidates(customer_id, found.how, tuple(ids))


def resolve_customer_conflict(
    profile: ProfileRef, customer_id: int, contact_id: int, *, backends: Backends | None = None
) -> str:
    """Link the customer to ``contact_id``, one of the contacts matching it now."""
    return link_tools.resolve_conflict(get_profile(profile), customer_id, contact_id, backends)


def link_to_contact(
    profile: ProfileRef, customer_id: int, contact_id: int, *, backends: Backends | None = None
) -> str:
    """Link the customer to a contact chosen on purpose; the next export sends every field."""
    return link_tools.link_customer(get_profile(profile), customer_id, contact_id, backends)


def unlink(
    profile: ProfileRef,
    customer_id: int,
    *,
    clear_identity: bool = True,
    backends: Backends | None = None,
) -> str:
    """Drop the customer's link (and address links); by default take our identity off too."""
    return link_tools.unlink_customer(
        get_profile(profile), customer_id, clear_identity=clear_identity, backends=backends
    )
