"""Keys and identities: how plentysync names what it exports, built and read back here only.

* an **entity key** names an entity inside its source: a customer's Magento id (``"42"``), a
  guest buyer's website and e-mail hash (``"1:9f3a..."``); link rows store it;
* a **batch key** is what a run's batches hold: a customer's key, or ``g:<GuestKey row id>``;
* an **identity** is what an export writes into the contact's identity field, so the contact
  is found again without a link: ``<namespace>:c:<key>`` or ``<namespace>:g:<key>``;
* **external ids** put our namespace on addresses (``<namespace>:a:<address key>``) and company
  accounts (``<namespace>:acct:<account key>``);
* an **enumeration cursor** says where a run's enumeration stands: ``c:<last customer id>``,
  then ``g:<last GuestKey row id>``.

Everything here is pure (the mapping builds identities with it, so it imports nothing of the
export).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

EntityType = Literal["customer", "guest"]

# The letter of each entity type in identities, batch keys and cursors.
_KIND: dict[EntityType, str] = {"customer": "c", "guest": "g"}
_TYPE_OF_KIND: dict[str, EntityType] = {kind: name for name, kind in _KIND.items()}
GUEST_PREFIX = f"{_KIND['guest']}:"  # batch keys of guests
CUSTOMER_PREFIX = f"{_KIND['customer']}:"
ADDRESS_KIND = "a"
ACCOUNT_KIND = "acct"


def customer_key(customer_id: int) -> str:
    """The entity key of a registered customer inside its source."""
    return str(customer_id)


def guest_key(website_id: int, email: str) -> str:
    """The entity key of a guest buyer: website and a hash of the normalised e-mail.

    The hash keeps the e-mail out of keys, run items and PlentyONE identity fields.
    """
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:20]
    return f"{website_id}:{digest}"


def guest_website(key: str) -> int:
    """The Magento website a guest buyer's entity key (see ``guest_key``) belongs to."""
    return int(key.split(":", 1)[0])


@dataclass(frozen=True)
class Identity:
    """Our identity on a PlentyONE contact, e.g. ``shop-eu:c:42`` or ``shop-eu:g:1:9f3a...``."""

    namespace: str
    entity_type: EntityType
    key: str

    def __str__(self) -> str:
        return f"{self.namespace}:{_KIND[self.entity_type]}:{self.key}"

    @classmethod
    def parse(cls, text: str) -> Identity | None:
        """The identity ``text`` spells, or None when it is not one of ours (of any namespace)."""
        namespace, _, rest = text.partition(":")
        kind, _, key = rest.partition(":")
        entity_type = _TYPE_OF_KIND.get(kind)
        if not namespace or entity_type is None or not key:
            return None
        return cls(namespace, entity_type, key)


def identity(namespace: str, entity_type: str, entity_key: str) -> str:
    """The text of our identity for an entity (see ``Identity``)."""
    kind: EntityType = "guest" if entity_type == "guest" else "customer"
    return str(Identity(namespace, kind, entity_key))


def key_of_identity(text: str) -> str:
    """The entity key inside an identity we built (see ``Identity``)."""
    parsed = Identity.parse(text)
    if parsed is None:
        raise ValueError(f"not an identity of plentysync: {text!r}")
    return parsed.key


def namespace_prefix(namespace: str) -> str:
    """What every identity and external id of ``namespace`` starts with."""
    return f"{namespace}:"


def address_external_id(namespace: str, address_key: str) -> str:
    """The external id option that marks an address as ours."""
    return f"{namespace}:{ADDRESS_KIND}:{address_key}"


def address_key_of(namespace: str, external_id: str) -> str | None:
    """The address key inside ``external_id`` when it is one of ``namespace``'s, else None."""
    prefix = f"{namespace}:{ADDRESS_KIND}:"
    return external_id[len(prefix) :] if external_id.startswith(prefix) else None


def account_external_id(namespace: str, account_key: str) -> str:
    """The external id of a company account we create."""
    return f"{namespace}:{ACCOUNT_KIND}:{account_key}"


@dataclass(frozen=True)
class BatchKey:
    """One key of a run's batch: a customer's entity key, or a guest's ``GuestKey`` row id.

    A run item names a guest by that row id too (``entity``); its link names it by its entity
    key, which the row holds.
    """

    entity_type: EntityType
    value: str

    def __str__(self) -> str:
        return f"{GUEST_PREFIX}{self.value}" if self.entity_type == "guest" else self.value

    @classmethod
    def parse(cls, text: str) -> BatchKey:
        if text.startswith(GUEST_PREFIX):
            return cls("guest", text.removeprefix(GUEST_PREFIX))
        return cls("customer", text)

    @classmethod
    def guest(cls, row_id: int) -> BatchKey:
        return cls("guest", str(row_id))

    @property
    def row_id(self) -> int:
        """The ``GuestKey`` row of a guest's batch key."""
        return int(self.value)

    @property
    def entity(self) -> tuple[str, str]:
        """The run item's (entity type, key)."""
        return self.entity_type, self.value


def is_guest_batch_key(text: str) -> bool:
    return text.startswith(GUEST_PREFIX)


def guest_batch_key(row_id: int) -> str:
    return str(BatchKey.guest(row_id))


@dataclass(frozen=True)
class Cursor:
    """Where a run's enumeration stands: customers by last id, then guests by last key row."""

    entity_type: EntityType
    after: int

    def __str__(self) -> str:
        return f"{_KIND[self.entity_type]}:{self.after}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor:
        """A run's stored cursor; none yet means the start of the customers."""
        if not text:
            return cls("customer", 0)
        kind, _, after = text.partition(":")
        return cls(_TYPE_OF_KIND[kind], int(after))
