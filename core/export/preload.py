"""The link rows of a whole batch, read with a few ``IN`` queries before its first entity.

On a re-run nearly every entity is linked and unchanged, and reading its contact link, its
address links and its account link one by one cost three queries per customer. A batch
reads them for all its entities at once (``load_batch_links``) and each entity's first read
takes its rows from here (``links.find_link``, ``links.stored_addresses``,
``links.stored_account``).

Each entry answers one read only and is dropped by it: any later read of the same row (after
a claim, a create, a colleague's account create in the same batch) goes to the database, so
no write of this batch is ever hidden by the snapshot. A row another process changes after
the batch started is read as it was then, which the claims already allow for: a stale "no
link" meets the unique key of the claim, and a stale account row is planned again when its
claim shows otherwise (``parts.apply_account``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.db.models import AccountLink, AddressLink, CustomerLink
from core.export.plan import Drafts, StoredAddress

# What a batch asks for in one query at most (SQLite's bound-parameter limit is far above).
CHUNK = 500

LinkKey = tuple[str, str]  # (entity type, entity key)


@dataclass
class BatchLinks:
    """Rows read for a batch; ``take_*`` hand each out once, ``None`` when it was not read."""

    links: dict[LinkKey, CustomerLink | None] = field(default_factory=dict)
    addresses: dict[int, tuple[StoredAddress, ...]] = field(default_factory=dict)
    accounts: dict[str, AccountLink | None] = field(default_factory=dict)

    def take_link(self, entity_type: str, key: str) -> tuple[bool, CustomerLink | None]:
        """(True, the row or None when there is none) once; (False, None) when not read."""
        wanted = (entity_type, key)
        if wanted not in self.links:
            return False, None
        return True, self.links.pop(wanted)

    def take_addresses(self, link_id: int) -> tuple[StoredAddress, ...] | None:
        return self.addresses.pop(link_id, None)

    def take_account(self, key: str) -> tuple[bool, AccountLink | None]:
        if key not in self.accounts:
            return False, None
        return True, self.accounts.pop(key)

    def forget_addresses(self, link_id: int) -> None:
        self.addresses.pop(link_id, None)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def load_batch_links(
    client_id: int, namespace: str, entities: list[LinkKey], account_keys: list[str]
) -> BatchLinks:
    """The contact, address and account links of ``entities``, in three queries (or so)."""
    loaded = BatchLinks()
    loaded.links = dict.fromkeys(entities)
    by_type: dict[str, list[str]] = {}
    for entity_type, key in entities:
        by_type.setdefault(entity_type, []).append(key)
    for entity_type, keys in by_type.items():
        for part in _chunks(keys):
            links = CustomerLink.select().where(
                (CustomerLink.client == client_id)
                & (CustomerLink.namespace == namespace)
                & (CustomerLink.entity_type == entity_type)
                & CustomerLink.entity_key.in_(part)
            )
            for link in links:
                loaded.links[(link.entity_type, link.entity_key)] = link
    link_ids = [link.id for link in loaded.links.values() if link is not None]
    found: dict[int, list[StoredAddress]] = {i: [] for i in link_ids}
    for start in range(0, len(link_ids), CHUNK):
        addresses = AddressLink.select().where(
            AddressLink.customer_link.in_(link_ids[start : start + CHUNK])
        )
        for r in addresses:
            link_id = getattr(r, AddressLink.customer_link.object_id_name)  # no join
            found[link_id].append(stored_address(r))
    loaded.addresses = {i: tuple(stored) for i, stored in found.items()}
    distinct = sorted(set(account_keys))
    loaded.accounts = dict.fromkeys(distinct)
    for part in _chunks(distinct):
        accounts = AccountLink.select().where(
            (AccountLink.client == client_id)
            & (AccountLink.namespace == namespace)
            & AccountLink.account_key.in_(part)
        )
        for account in accounts:
            loaded.accounts[account.account_key] = account
    return loaded


def links_of_drafts(client_id: int, namespace: str, planned: Iterable[object]) -> BatchLinks:
    """``load_batch_links`` for the entities of a batch's drafts (outcomes decided are left)."""
    drafts = [d for d in planned if isinstance(d, Drafts)]
    return load_batch_links(
        client_id,
        namespace,
        [(d.entity_type, d.key) for d in drafts],
        [d.account.account_key for d in drafts if d.account is not None],
    )


def stored_address(row: AddressLink) -> StoredAddress:
    """An address link row as the planning step reads it (a relation still pending marked)."""
    return StoredAddress(
        row.address_key,
        row.type_id,
        row.address_id,
        row.is_primary,
        row.payload_hash,
        pending=row.relation_state is not None,
    )
