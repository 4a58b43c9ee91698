"""Plan, then apply: the PlentyONE writes an entity needs, decided once from what we know.

``plan_entity`` takes an entity's drafts (what the mapping generated) and ``Known`` (how its
contact was found, and the link rows: the fingerprints we last sent, the address and account
rows) and returns an ``EntityPlan``: the contact's create or update payload, the account's
create/update/link and the address creates, updates and unlinks, in the order they are sent.
It reads nothing and writes nothing, so the export (``entity``, ``parts``) and the dry run
(``core.tools.dryrun``) follow the same rules, and a test can walk every case in microseconds.

The export plans each entity when its turn in the batch comes, from rows read just then
(an earlier entity of the batch may have created a company account the next one shares).
``plan_batch`` applies the same rules to a whole batch in order, carrying those accounts over,
for a preview of it; ``BatchPlan.deferred`` is the room for writes the batch's entities share
(the address relations its entities relate to an address they create or have, sent as one
array after them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from core.export.identity import EntityType
from core.mapping import AccountDraft, AddressDraft, ContactDraft, fingerprint
from core.states import Resolved

# How the entity's link row comes about: ``claim`` before a create, ``keep`` the stored link,
# ``adopt`` a contact found by identity or e-mail, ``landed`` our claim whose create landed.
LinkStep = Literal["claim", "keep", "adopt", "landed"]
RELATION = {1: "billing", 2: "delivery"}
# Where a batch's relation array goes.
RELATIONS_ENDPOINT = "/rest/accounts/addresses/contact_relations"
# The id of an account a preview's earlier entity creates: not known until it is sent.
NEW_ACCOUNT = -1

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _frozen(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


def _empty() -> Mapping[str, Any]:
    return _EMPTY


@dataclass(frozen=True)
class StoredAddress:
    """An address link row: one Magento address in one relation, as we last sent it."""

    address_key: str
    type_id: int
    address_id: int
    is_primary: bool
    payload_hash: str
    # Recorded, but still waiting for a relation array to confirm it (``core.export.relations``).
    pending: bool = False


@dataclass(frozen=True)
class StoredAccount:
    """The company account's link row; ``linked`` False while a create claim stands."""

    linked: bool
    account_id: int | None
    payload_hash: str


@dataclass(frozen=True)
class Known:
    """What we know of one entity before writing: how its contact was found, what we sent.

    ``sent`` holds the fingerprints of the link (the address flag left out), ``account_id`` the
    account its contact was linked to, ``addresses`` its address links; ``landed`` says our
    create claim's contact exists (an earlier create landed); ``guest_link`` names the guest
    whose contact a customer takes over.
    """

    found_by: Resolved = "new"
    contact_id: int | None = None
    is_guest: bool = False
    landed: bool = False
    sent: Mapping[str, str] = field(default_factory=_empty)
    account_id: int | None = None
    addresses: tuple[StoredAddress, ...] = ()
    account: StoredAccount | None = None
    guest_link: str | None = None


@dataclass(frozen=True)
class Rules:
    """The profile's and run's choices that change what is sent."""

    identity_field: str = "externalId"
    force: bool = False  # send every managed field, as if nothing had been sent
    creates: bool = True  # False for the "sync" behaviour: no contact is created
    addresses: bool = True  # the profile sends addresses (customer.create_address)


@dataclass(frozen=True)
class ContactWrite:
    """The contact's write: a create, an update with only what changed, or none."""

    action: Literal["create", "update", "none"]
    link: LinkStep
    payload: Mapping[str, Any] = field(default_factory=_empty)
    fields: tuple[str, ...] = ()  # the fields and options sent, by name
    convert_guest: bool = False  # a guest contact becomes a customer's first
    guest_link: str | None = None  # the guest whose link goes when a customer takes it over

    @property
    def calls(self) -> int:
        return (self.action != "none") + self.convert_guest


@dataclass(frozen=True)
class AccountWrite:
    """The company account: create it, update its fields, link the contact to it."""

    account_key: str
    create: bool = False
    update: bool = False
    link: bool = False
    # The create payload, or the fields of an update.
    payload: Mapping[str, Any] = field(default_factory=_empty)
    payload_hash: str = ""  # stored on the account row once sent

    @property
    def calls(self) -> int:
        # A create links the contact in the same call.
        return self.create + self.update + (self.link and not self.create)

    @property
    def summary(self) -> str:
        """The first write, as the dry run names it: create, update, link or nothing."""
        return "create" if self.create else "update" if self.update else "link" if self.link else ""


@dataclass(frozen=True)
class AddressWrite:
    """One address relation to create, update (content or primary flag) or unlink.

    ``relate`` links an address the contact gets (or has) in another relation as this one
    too: no address write, an item of the batch's relation array (``address_id`` None when
    the address is created by the plan's ``create`` of the same ``address_key``).
    """

    action: Literal["create", "update", "unlink", "relate"]
    address_key: str
    type_id: int
    address_id: int | None = None  # the PlentyONE address of an update or unlink
    is_primary: bool = False
    payload: Mapping[str, Any] = field(default_factory=_empty)
    payload_hash: str = ""  # stored on the address link once sent

    def describe(self) -> str:
        """E.g. ``create billing 12``."""
        return f"{self.action} {RELATION.get(self.type_id, self.type_id)} {self.address_key}"


@dataclass(frozen=True)
class EntityPlan:
    """Every PlentyONE write of one entity, in the order they are sent.

    ``skipped`` is the reason nothing is sent at all (then the writes are empty).
    """

    contact: ContactWrite
    account: AccountWrite | None = None
    addresses: tuple[AddressWrite, ...] = ()
    skipped: str = ""

    @property
    def writes(self) -> int:
        """The entity's own writes; its relations go in the batch's relation array."""
        account = self.account.calls if self.account is not None else 0
        own = sum(a.action != "relate" for a in self.addresses)
        return self.contact.calls + account + own

    @property
    def relations(self) -> tuple[AddressWrite, ...]:
        return tuple(a for a in self.addresses if a.action == "relate")

    @property
    def action(self) -> Literal["create", "update", "unchanged", "skipped"]:
        """What the entity's result will be: a create, an update, or nothing to send."""
        if self.skipped:
            return "skipped"
        if self.contact.action == "create" or self.contact.link == "landed":
            return "create"
        return "update" if self.writes or self.relations else "unchanged"


@dataclass(frozen=True)
class DeferredWrite:
    """A write the batch's entities share, sent once after them: the relation array.

    ``items`` are its entries (``contactId`` and ``addressId`` None while not known yet).
    """

    endpoint: str
    items: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class BatchPlan:
    """The plans of a batch's entities, by batch key, and the writes they share.

    ``accounts`` holds the account rows the batch's writes leave behind, by key, for the
    next batch of the same preview to carry on from.
    """

    entities: Mapping[str, EntityPlan] = field(default_factory=_empty)
    deferred: tuple[DeferredWrite, ...] = ()
    accounts: Mapping[str, StoredAccount] = field(default_factory=_empty)

    @property
    def writes(self) -> int:
        return sum(p.writes for p in self.entities.values()) + len(self.deferred)


@dataclass(frozen=True)
class Drafts:
    """One entity's drafts, as the mapping made them, and the warnings found on the way.

    ``guest_of_customer`` is the guest key a registered customer had as a guest buyer.
    """

    entity_type: EntityType
    key: str
    contact: ContactDraft
    addresses: tuple[AddressDraft, ...] = ()
    account: AccountDraft | None = None
    warnings: tuple[str, ...] = ()
    guest_of_customer: str | None = None


def plan_entity(drafts: Drafts, known: Known, rules: Rules) -> EntityPlan:
    """The writes that bring PlentyONE in step with ``drafts``, given what is ``known``."""
    if known.contact_id is None and not rules.creates:
        return EntityPlan(
            ContactWrite("none", "keep"),
            skipped="no matching contact in PlentyONE (sync creates none)",
        )
    contact = plan_contact(drafts.contact, known, rules)
    account = None
    if drafts.account is not None:
        account = plan_account(drafts.account, known.account, known.account_id)
    addresses = plan_addresses(drafts.addresses, known.addresses) if rules.addresses else ()
    return EntityPlan(contact, account, addresses)


def plan_contact(draft: ContactDraft, known: Known, rules: Rules) -> ContactWrite:
    """Create a new contact; else send what changed since we last sent it.

    A contact we did not find by our link (adopted, or created by an earlier attempt) gets
    every managed field and our identity, so the next lookup finds it by identity.
    """
    if known.contact_id is None:
        created = tuple(sorted({*draft.create_only, *draft.fingerprints()}))
        return ContactWrite("create", "claim", _frozen(draft.create_payload()), created)
    by_link = known.found_by == "link"
    step: LinkStep = "keep" if by_link else "landed" if known.landed else "adopt"
    sent: Mapping[str, str] = known.sent if by_link and not rules.force else {}
    payload = draft.update_payload(dict(sent))
    fields = set(draft.changes(dict(sent)))
    if not by_link:
        payload[rules.identity_field] = draft.identity
        fields.add(rules.identity_field)
    takes_over = step == "adopt" and known.found_by == "guest"
    action: Literal["update", "none"] = "update" if payload else "none"
    return ContactWrite(
        action,
        step,
        _frozen(payload),
        tuple(sorted(fields)),
        convert_guest=takes_over and known.is_guest,
        guest_link=known.guest_link if takes_over else None,
    )


def plan_account(
    draft: AccountDraft, stored: StoredAccount | None, linked_to: int | None
) -> AccountWrite:
    """Create the account while none is linked; update it when its fields changed; link the
    contact when it is not linked to it yet.
    """
    wanted = fingerprint(draft.managed)
    if stored is None or not stored.linked:
        return AccountWrite(
            draft.account_key,
            create=True,
            link=True,
            payload=_frozen(draft.create_payload()),
            payload_hash=wanted,
        )
    update = stored.payload_hash != wanted and bool(stored.account_id)
    link = linked_to != stored.account_id and bool(stored.account_id)
    return AccountWrite(
        draft.account_key,
        update=update,
        link=link,
        payload=_frozen(draft.managed) if update else _EMPTY,
        payload_hash=wanted,
    )


def plan_addresses(
    drafts: Iterable[AddressDraft], stored: Iterable[StoredAddress]
) -> tuple[AddressWrite, ...]:
    """Create each drafted relation we have no link for, update one whose content or primary
    flag changed, then unlink the relations no draft names any more.

    A relation we have no link for, of an address the plan creates (or we hold) with the
    same content in another relation, is related to that address instead of sent again.
    """
    existing = {(a.address_key, a.type_id): a for a in stored}
    wanted = {(d.address_key, d.type_id): d for d in drafts}
    writes: list[AddressWrite] = []
    # The address of each key the plan creates (None) or holds (its id), with its content.
    sources: dict[str, tuple[int | None, str]] = {
        a.address_key: (a.address_id, a.payload_hash) for a in existing.values() if not a.pending
    }
    for key, draft in wanted.items():
        current = existing.get(key)
        content = draft.content_fingerprint()
        if current is not None and (
            current.pending
            or (current.payload_hash == content and current.is_primary == draft.is_primary)
        ):
            # A pending relation goes out with a relation array first; a change follows later.
            continue
        source = sources.get(draft.address_key)
        if current is None and source is not None and source[1] == content:
            writes.append(
                AddressWrite(
                    "relate",
                    draft.address_key,
                    draft.type_id,
                    address_id=source[0],
                    is_primary=draft.is_primary,
                    payload_hash=content,
                )
            )
            continue
        if current is None:
            sources[draft.address_key] = (None, content)
        writes.append(
            AddressWrite(
                "create" if current is None else "update",
                draft.address_key,
                draft.type_id,
                address_id=None if current is None else current.address_id,
                is_primary=draft.is_primary,
                payload=_frozen(draft.create_payload()),
                payload_hash=content,
            )
        )
    writes += [
        AddressWrite("unlink", gone.address_key, gone.type_id, address_id=gone.address_id)
        for key, gone in existing.items()
        if key not in wanted and not gone.pending
    ]
    return tuple(writes)


def plan_batch(
    entities: Iterable[tuple[str, Drafts, Known]],
    rules: Rules,
    accounts: Mapping[str, StoredAccount] = _EMPTY,
) -> BatchPlan:
    """The plans of a batch's entities in order, as the export makes them one after another.

    An account an earlier entity creates or updates is linked, not created, for a later one
    (with ``accounts`` carried in from earlier batches of the same preview).
    """
    rows = dict(accounts)
    plans: dict[str, EntityPlan] = {}
    items: list[Mapping[str, Any]] = []
    for key, drafts, known in entities:
        account = drafts.account
        if account is not None and account.account_key in rows:
            known = replace(known, account=rows[account.account_key])
        plan = plan_entity(drafts, known, rules)
        written = plan.account
        if written is not None and (written.create or written.update):
            before = known.account
            account_id = NEW_ACCOUNT if written.create or before is None else before.account_id
            rows[written.account_key] = StoredAccount(True, account_id, written.payload_hash)
        plans[key] = plan
        items += [
            _frozen(
                {
                    "contactId": known.contact_id,
                    "addressId": r.address_id,
                    "typeId": r.type_id,
                    "isPrimary": r.is_primary,
                }
            )
            for r in plan.relations
        ]
    deferred = (DeferredWrite(RELATIONS_ENDPOINT, tuple(items)),) if items else ()
    return BatchPlan(_frozen(plans), deferred, accounts=_frozen(rows))


__all__ = [
    "NEW_ACCOUNT",
    "RELATION",
    "RELATIONS_ENDPOINT",
    "AccountWrite",
    "AddressWrite",
    "BatchPlan",
    "ContactWrite",
    "DeferredWrite",
    "Drafts",
    "EntityPlan",
    "Known",
    "Rules",
    "StoredAccount",
    "StoredAddress",
    "plan_account",
    "plan_addresses",
    "plan_batch",
    "plan_contact",
    "plan_entity",
]
