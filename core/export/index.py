"""The contact index: one paged read of PlentyONE before a large run, kept in the database.

Resolving each new customer by identity and by e-mail costs two reads; reading every contact
once costs one read per 250. Before a large first export the index is the cheaper way, and
every worker of the run shares it because it lives in the database.
"""

from __future__ import annotations

from core.db.connection import write_transaction
from core.db.models import ContactIndexEntry, CustomerLink, GuestKey
from core.emails import normalise_email
from core.export import runs
from core.export.deps import ExportDeps
from core.export.identity import BatchKey, guest_key, is_guest_batch_key, namespace_prefix
from core.plenty import PlentyClient

PAGE = 250
EMAIL_OPTION_TYPE = 2


def worth_building(plenty: PlentyClient, unlinked: int) -> bool:
    """True when reading every contact costs fewer calls than two lookups per new customer."""
    if unlinked < 50:
        return False
    first = next(iter(plenty.contacts.pages(with_=(), items_per_page=1)), None)
    total = first.info.totalsCount if first else 0
    return total / PAGE < 2 * unlinked


BUILT = ("meta", "built")


def ensure_index(deps: ExportDeps, unlinked: int, total: int) -> bool:
    """Decide once per run whether to read every contact first; build it and switch to it.

    ``unlinked`` estimates the run's entities without a link out of ``total``. It pays off on
    a first export; a re-run whose only unlinked records are the ones Magento data keeps
    refusing (a small share) must cost no read. An explicit run option wins; runs over named
    customers or the queue never build one.
    """
    if has_index(deps.run_id):
        deps.use_index = True
        return True
    before = deps.plenty.calls
    wanted = deps.options.build_index
    if wanted is None:
        wanted = (
            deps.options.entity_ids is None
            and not deps.options.queue
            and unlinked * 10 >= total
            and worth_building(deps.plenty, unlinked)
        )
    if wanted:
        build_index(deps.run_id, deps.plenty, deps.namespace)
        deps.use_index = True
    after = deps.plenty.calls
    runs.add_api_calls(deps.run_id, reads=after.read - before.read, writes=0)
    return bool(wanted)


def has_index(run_id: int) -> bool:
    return bool(
        ContactIndexEntry.select()
        .where(
            (ContactIndexEntry.run == run_id)
            & (ContactIndexEntry.kind == BUILT[0])
            & (ContactIndexEntry.key == BUILT[1])
        )
        .exists()
    )


def build_index(run_id: int, plenty: PlentyClient, namespace: str) -> int:
    """Store every contact's identity (ours only) and e-mails for the run; returns contacts read."""
    prefix = namespace_prefix(namespace)
    rows: list[dict[str, object]] = []
    seen = 0
    with write_transaction():
        ContactIndexEntry.delete().where(ContactIndexEntry.run == run_id).execute()
    for contact in plenty.contacts.iterate(with_=("options",), items_per_page=PAGE):
        seen += 1
        guest = contact.is_guest
        for identity in {contact.externalId or "", contact.number or ""}:
            if identity.startswith(prefix):
                rows.append(
                    {
                        "run": run_id,
                        "kind": "identity",
                        "key": identity,
                        "contact_id": contact.id,
                        "is_guest": guest,
                    }
                )
        emails = {normalise_email(contact.email)}
        emails |= {
            normalise_email(o.value) for o in contact.options if o.typeId == EMAIL_OPTION_TYPE
        }
        rows += [
            {"run": run_id, "kind": "email", "key": e, "contact_id": contact.id, "is_guest": guest}
            for e in emails
            if e
        ]
        if len(rows) >= 500:
            _flush(rows)
    # The marker tells every worker of the run that the index is complete, even when empty.
    rows.append({"run": run_id, "kind": BUILT[0], "key": BUILT[1], "contact_id": 0})
    _flush(rows)
    return seen


def _flush(rows: list[dict[str, object]]) -> None:
    if rows:
        with write_transaction():
            ContactIndexEntry.insert_many(rows).execute()
        rows.clear()


def lookup(run_id: int, kind: str, key: str) -> list[tuple[int, bool]]:
    """``(contact id, is guest)`` of the index entries for ``key``."""
    query = ContactIndexEntry.select(
        ContactIndexEntry.contact_id, ContactIndexEntry.is_guest
    ).where(
        (ContactIndexEntry.run == run_id)
        & (ContactIndexEntry.kind == kind)
        & (ContactIndexEntry.key == key)
    )
    return sorted({(row.contact_id, row.is_guest) for row in query})


def identities_of(run_id: int, contact_ids: list[int]) -> dict[int, str]:
    if not contact_ids:
        return {}
    query = ContactIndexEntry.select(ContactIndexEntry.contact_id, ContactIndexEntry.key).where(
        (ContactIndexEntry.run == run_id)
        & (ContactIndexEntry.kind == "identity")
        & ContactIndexEntry.contact_id.in_(contact_ids)
    )
    return {row.contact_id: row.key for row in query}


def linked_count(client_id: int, namespace: str, entity_type: str) -> int:
    return int(
        CustomerLink.select()
        .where(
            (CustomerLink.client == client_id)
            & (CustomerLink.namespace == namespace)
            & (CustomerLink.entity_type == entity_type)
            & (CustomerLink.state == "linked")
        )
        .count()
    )


def unlinked_count(client_id: int, namespace: str, keys: list[str]) -> int:
    """How many of a run's keys (customer ids and ``g:<guest key row>``) have no link yet."""
    customers = [k for k in keys if not is_guest_batch_key(k)]
    guest_rows = [BatchKey.parse(k).row_id for k in keys if is_guest_batch_key(k)]
    ours = (
        (CustomerLink.client == client_id)
        & (CustomerLink.namespace == namespace)
        & (CustomerLink.state == "linked")
    )
    linked = 0
    for start in range(0, len(customers), 900):
        part = customers[start : start + 900]
        linked += (
            CustomerLink.select()
            .where(
                ours & (CustomerLink.entity_type == "customer") & CustomerLink.entity_key.in_(part)
            )
            .count()
        )
    if guest_rows:
        guests = {
            row.entity_key
            for row in CustomerLink.select(CustomerLink.entity_key).where(
                ours & (CustomerLink.entity_type == "guest")
            )
        }
        for start in range(0, len(guest_rows), 900):
            rows = GuestKey.select().where(GuestKey.id.in_(guest_rows[start : start + 900]))
            linked += sum(guest_key(r.website_id, r.email) in guests for r in rows)
    return len(keys) - int(linked)


def drop_index(run_id: int) -> None:
    with write_transaction():
        ContactIndexEntry.delete().where(ContactIndexEntry.run == run_id).execute()
