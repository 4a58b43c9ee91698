"""Which PlentyONE contact is ours for an entity: link, index, identity, then exact e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from core.db.models import CustomerLink
from core.export import index
from core.export.deps import ExportDeps
from core.export.links import find_link, other_entities_of
from core.mapping import ContactDraft
from core.states import Resolved


@dataclass(frozen=True)
class Resolution:
    """The outcome: a contact id (and how it was found), a conflict, or nothing yet.

    ``candidates`` holds every contact that matched when more than one did (a conflict);
    ``skip`` says why the entity is left alone.
    """

    contact_id: int | None = None
    how: Resolved = "new"
    link: CustomerLink | None = None
    candidates: tuple[int, ...] = ()
    is_guest: bool = False
    skip: str = ""

    @property
    def conflict(self) -> bool:
        return len(self.candidates) > 1


class Candidate(NamedTuple):
    """A PlentyONE contact a lookup found: its id, whether it is a guest, and its identity."""

    contact_id: int
    is_guest: bool
    identity: str = ""


def _by_identity(deps: ExportDeps, draft: ContactDraft, live: bool) -> list[Candidate]:
    if deps.use_index and not live:
        hits = index.lookup(deps.run_id, "identity", draft.identity)
        return [Candidate(cid, guest, draft.identity) for cid, guest in hits]
    return [
        Candidate(c.id, c.is_guest, draft.identity)
        for c in deps.plenty.contacts.find_by_identity(draft.identity)
    ]


def _by_email(deps: ExportDeps, draft: ContactDraft) -> list[Candidate]:
    if deps.use_index:
        hits = index.lookup(deps.run_id, "email", draft.email)
        ids = index.identities_of(deps.run_id, [cid for cid, _ in hits])
        return [Candidate(cid, guest, ids.get(cid, "")) for cid, guest in hits]
    return [
        Candidate(c.id, c.is_guest, c.externalId or c.number or "")
        for c in deps.plenty.contacts.find_by_email(draft.email)
    ]


def resolve(
    deps: ExportDeps,
    entity_type: str,
    key: str,
    draft: ContactDraft,
    guest_of_customer: str | None = None,
) -> Resolution:
    """Find our contact without ever guessing: more than one candidate is a conflict.

    ``guest_of_customer`` is the guest key a registered customer had as a guest buyer: when
    we exported that guest, its contact becomes the customer's (converted, not duplicated).
    """
    link = find_link(deps, entity_type, key)
    if link is not None and link.state == "linked" and link.contact_id:
        return Resolution(link.contact_id, "link", link)
    # A claim left by an earlier attempt may have created the contact: ask PlentyONE itself.
    live = link is not None
    hits = _by_identity(deps, draft, live)
    if len(hits) == 1:
        return Resolution(
            hits[0].contact_id,
            "identity" if live or not deps.use_index else "index",
            link,
            is_guest=hits[0].is_guest,
        )
    if len(hits) > 1:
        return Resolution(how="identity", link=link, candidates=tuple(h.contact_id for h in hits))
    if guest_of_customer is not None:
        guest = find_link(deps, "guest", guest_of_customer)
        if guest is not None and guest.state == "linked" and guest.contact_id:
            return Resolution(guest.contact_id, "guest", link, is_guest=True)
    prefix = f"{deps.namespace}:"
    emails = [
        h
        for h in _by_email(deps, draft)
        if not (h.identity.startswith(prefix) and h.identity != draft.identity)
    ]
    others = other_entities_of(deps, [h.contact_id for h in emails], entity_type, key)
    free = [h for h in emails if h.contact_id not in others]
    if not free and emails and entity_type == "guest":
        return Resolution(
            how="email", link=link, skip="the e-mail belongs to a contact of a registered customer"
        )
    if len(free) == 1:
        return Resolution(free[0].contact_id, "email", link, is_guest=free[0].is_guest)
    if len(free) > 1:
        return Resolution(
            how="email", link=link, candidates=tuple(sorted(h.contact_id for h in free))
        )
    return Resolution(how="new", link=link)
