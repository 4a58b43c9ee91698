"""The emulator's in-memory data: contacts, addresses, accounts and their links.

One ``Store`` per app; every read or write of it happens under ``store.lock``. Records are
kept as dicts with the API's own field names, so serialising one is a copy plus aliases.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.plenty.config import ReferenceData


@dataclass
class ContactRow:
    """A stored contact: its scalar fields and its options (each with its own id)."""

    fields: dict[str, Any]
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AddressRow:
    """A stored address: its fields and its address options."""

    fields: dict[str, Any]
    options: list[dict[str, Any]] = field(default_factory=list)


class Store:
    """All data of one emulated PlentyONE system."""

    def __init__(self, reference: ReferenceData, timezone: str) -> None:
        self.lock = threading.RLock()
        self._tz = ZoneInfo(timezone)
        self._sequences: dict[str, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self.contacts: dict[int, ContactRow] = {}
        self.contact_option_owner: dict[int, int] = {}
        self.addresses: dict[int, AddressRow] = {}
        self.address_option_owner: dict[int, int] = {}
        self.address_relations: dict[int, dict[str, Any]] = {}
        self.relations_by_contact: dict[int, list[int]] = defaultdict(list)
        self.accounts: dict[int, dict[str, Any]] = {}
        self.account_relations: dict[int, dict[str, Any]] = {}
        self.orders: dict[int, int] = {}
        self.apply_reference(reference)

    def apply_reference(self, reference: ReferenceData) -> None:
        """Replace the reference data (classes, types, referrers, webstores, languages)."""
        self.contact_classes: dict[int, str] = dict(reference.contact_classes)
        self.contact_types: dict[int, str] = dict(reference.contact_types)
        self.referrers: dict[float, dict[str, Any]] = {
            ref_id: referrer_record(ref_id, name, editable=False)
            for ref_id, name in reference.referrers.items()
        }
        self.webstores = list(reference.webstores)
        self.languages = frozenset(reference.languages)

    def next_id(self, kind: str) -> int:
        """The next id of ``kind`` (contact, address, ...); ids are never reused."""
        return next(self._sequences[kind])

    def now(self) -> str:
        """Now as the API writes timestamps: ISO 8601 with the system's offset."""
        return datetime.now(self._tz).isoformat(timespec="seconds")

    def plenty_ids(self) -> set[int]:
        return {store.plenty_id for store in self.webstores}

    # -- address relations, indexed by contact because lists embed them per contact --

    def add_relation(self, relation: dict[str, Any]) -> None:
        self.address_relations[relation["id"]] = relation
        self.relations_by_contact[relation["contactId"]].append(relation["id"])

    def remove_relation(self, relation_id: int, *, drop_orphan: bool = True) -> None:
        """Unlink; the address goes too when nothing links it any more, unless told not to."""
        relation = self.address_relations.pop(relation_id)
        self.relations_by_contact[relation["contactId"]].remove(relation_id)
        if drop_orphan:
            self._drop_orphan_address(relation["addressId"])

    def contact_relations(self, contact_id: int) -> list[dict[str, Any]]:
        return [
            self.address_relations[rid] for rid in self.relations_by_contact.get(contact_id, [])
        ]

    def _drop_orphan_address(self, address_id: int) -> None:
        # An address without any relation left is gone, as it is in the ERP's UI.
        if any(r["addressId"] == address_id for r in self.address_relations.values()):
            return
        row = self.addresses.pop(address_id, None)
        if row is not None:
            for option in row.options:
                self.address_option_owner.pop(option["id"], None)

    def delete_contact(self, contact_id: int) -> None:
        row = self.contacts.pop(contact_id)
        for option in row.options:
            self.contact_option_owner.pop(option["id"], None)
        for relation_id in list(self.relations_by_contact.get(contact_id, [])):
            self.remove_relation(relation_id)
        self.relations_by_contact.pop(contact_id, None)
        for relation_id, relation in list(self.account_relations.items()):
            if relation["contactId"] == contact_id:
                del self.account_relations[relation_id]
        self.orders.pop(contact_id, None)


def referrer_record(ref_id: float, name: str, *, editable: bool = True) -> dict[str, Any]:
    """A referrer as ``GET /rest/orders/referrers`` lists it."""
    return {
        "id": ref_id,
        "isEditable": editable,
        "backendName": name,
        "name": name,
        "orderOwnerId": None,
        "isFilterable": True,
        "origin": "plenty",
        "showInLeads": False,
    }
