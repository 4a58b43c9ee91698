"""The batch's relation array: address relations recorded as pending, sent in one call.

An entity whose plan relates an address to its contact a second time (the default billing
address that is also the default shipping one) records that relation as an address link
row with ``relation_state`` "pending", in the commit that links the address itself. After
the batch's entities, ``send_pending`` sends every relation the batch holds in one
``POST /rest/accounts/addresses/contact_relations`` array and confirms each one PlentyONE
returns (``relation_state`` None). Before the call the rows turn "sending"; a row still
"sending" afterwards (a timeout, a server error, a crash) is never sent again blind: the
contact's relations are read first, and only the missing ones are sent.

A pending row is held by the claim owner that recorded it (the batch, whichever attempt),
for ``claim_ttl`` against others; a "sending" row whose call is over (``park_delay``, the
time PlentyONE may still apply a write we gave up on) is free for anyone to look up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import peewee as pw

from core.db.connection import write_transaction
from core.db.models import AddressLink, CustomerLink, utcnow
from core.errors import AuthError, Parked, TransientError, Waiting
from core.export import runs
from core.export.deps import ExportDeps
from core.plenty import AddressContactRelation

log = logging.getLogger(__name__)

Key = tuple[int, int, int]  # contactId, addressId, typeId


def _free(deps: ExportDeps, now: dt.datetime) -> pw.Expression:
    """The pending or sending rows ``deps.claimant`` may take now."""
    ours = AddressLink.relation_owner == deps.claimant
    return (
        ((AddressLink.relation_state == "pending") & ours)
        | (
            (AddressLink.relation_state == "sending")
            & (AddressLink.relation_at < now - deps.park_delay)
        )
        | (AddressLink.relation_at < now - deps.claim_ttl)
    )


def _of_client(deps: ExportDeps) -> pw.Expression:
    links = CustomerLink.select(CustomerLink.id).where(
        (CustomerLink.client == deps.client_id) & (CustomerLink.namespace == deps.namespace)
    )
    return AddressLink.customer_link.in_(links)


def adopt(deps: ExportDeps, link_id: int | None = None) -> dt.datetime:
    """Take the waiting relations we may send (of one link, or of the client): returns the
    moment they were taken at, which marks them.
    """
    now = utcnow()
    scope = AddressLink.customer_link == link_id if link_id is not None else _of_client(deps)
    with write_transaction():
        AddressLink.update(relation_owner=deps.claimant, relation_at=now).where(
            AddressLink.relation_state.is_null(False) & scope & _free(deps, now)
        ).execute()
    return now


def send_pending(deps: ExportDeps) -> int:
    """Send the relations this batch holds (and the abandoned ones it takes over).

    Returns the writes made. Raises ``Parked`` after a timeout or server error: the rows
    stay "sending" and are looked up, not sent, by the next go.
    """
    taken = adopt(deps)
    rows = list(
        AddressLink.select(AddressLink, CustomerLink.contact_id)
        .join(CustomerLink)
        .where(
            AddressLink.relation_state.is_null(False)
            & (AddressLink.relation_owner == deps.claimant)
            & (AddressLink.relation_at == taken)
        )
    )
    if not rows:
        return 0
    before = deps.plenty.calls
    try:
        return _send(deps, rows)
    finally:
        after = deps.plenty.calls
        runs.add_api_calls(
            deps.run_id, reads=after.read - before.read, writes=after.write - before.write
        )


def _key(row: AddressLink) -> Key:
    return (int(row.customer_link.contact_id or 0), row.address_id, row.type_id)


def _send(deps: ExportDeps, rows: list[AddressLink]) -> int:
    by_key = {_key(row): row for row in rows}
    uncertain = {key[0] for key, row in by_key.items() if row.relation_state == "sending"}
    for contact_id in sorted(uncertain):
        # An earlier call may have landed: what PlentyONE has is confirmed, not sent again.
        found = [
            (r.contactId, r.addressId, r.typeId)
            for r in deps.plenty.addresses.relations(contact_id)
        ]
        _confirm(deps, [by_key.pop(k) for k in found if k in by_key])
    if not by_key:
        return 0
    _mark(list(by_key.values()), "sending")
    items = [
        {"contactId": k[0], "addressId": k[1], "typeId": k[2], "isPrimary": row.is_primary}
        for k, row in by_key.items()
    ]
    calls = deps.plenty.calls.write

    def landed(written: list[AddressContactRelation]) -> None:
        _confirm(
            deps,
            [
                row
                for r in written
                if (row := by_key.pop((r.contactId, r.addressId, r.typeId), None)) is not None
            ],
        )

    try:
        refused = deps.plenty.addresses.write_relations(items, landed=landed)
    except TransientError as exc:
        # The call is over now: the rows are looked up once PlentyONE applied what it may.
        _mark(list(by_key.values()), "sending")
        raise Parked("the relation array timed out; its relations are looked up first") from exc
    except (Waiting, AuthError):
        # Refused before PlentyONE ran it (429s, a spent budget, no token) or never sent:
        # nothing of what is left was written, so it stays ours to send on the next go,
        # without waiting out ``park_delay`` for a lookup.
        _mark(list(by_key.values()), "pending")
        raise
    # Refused alone (422), or left out of a per-item answer: nothing was written for them.
    if refused or by_key:
        _drop(list(by_key.values()))
    return deps.plenty.calls.write - calls


def _confirm(deps: ExportDeps, rows: Sequence[AddressLink]) -> None:
    if rows:
        _mark(rows, None)


def _mark(rows: Sequence[AddressLink], state: str | None) -> None:
    now = utcnow()
    changes: dict[Any, Any] = {AddressLink.relation_state: state, AddressLink.updated_at: now}
    if state is not None:
        changes[AddressLink.relation_at] = now
    else:
        changes.update({AddressLink.relation_owner: None, AddressLink.relation_at: None})
    with write_transaction():
        AddressLink.update(changes).where(AddressLink.id.in_([r.id for r in rows])).execute()


def _drop(rows: Sequence[AddressLink]) -> None:
    """Forget relations PlentyONE did not take: the entity's next export plans them again."""
    if not rows:
        return
    log.warning(
        "PlentyONE did not take %d address relation(s) (contacts %s); they are planned again",
        len(rows),
        ", ".join(str(_key(r)[0]) for r in rows),
    )
    with write_transaction():
        AddressLink.delete().where(AddressLink.id.in_([r.id for r in rows])).execute()
