"""Which linked contacts a ``customer replace`` may touch: those of the profile's own stores.

A link names a customer or a guest, not a store, and one client and source may be shared by
several profiles that export different stores of the shop. So the scope is decided when the
replace is planned:

* a registered customer is in scope when Magento, asked now for the linked ids in batches,
  places it in a store the profile exports (the export's own rule, ``skip_reason``). A
  customer Magento no longer returns is left out: nothing tells whose it was, and a deleted
  contact would not come back;
* a guest is in scope when the profile exports every store view of the guest's website (the
  website is part of the guest's key). A guest contact may stand for orders in any store view
  of its website, so the guests of a website split between profiles, or exported only in
  part, are left out.

Whatever is left out is counted by reason, for the operator to read before confirming.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.db.models import CustomerLink, Profile
from core.export.connections import mapping_context
from core.export.deps import ExportDeps
from core.mapping import MappingContext, guest_website, skip_reason

__all__ = ["FETCH_CHUNK", "ReplaceScope", "scope_links"]

# Linked customer ids looked up per call of the source's batched fetch (which pages them).
FETCH_CHUNK = 1000
GONE_FROM_MAGENTO = "customers Magento no longer returns (their store is unknown)"


@dataclass
class ReplaceScope:
    """The links of the profile's own customers and guests, and what was left out and why."""

    links: list[CustomerLink] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> links

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1


def scope_links(deps: ExportDeps, profile: Profile, links: Iterable[CustomerLink]) -> ReplaceScope:
    """Keep the links whose customer or guest this profile exports (reads Magento only)."""
    scope = ReplaceScope()
    customers: list[CustomerLink] = []
    guests: list[CustomerLink] = []
    for link in links:
        (customers if link.entity_type == "customer" else guests).append(link)
    _scope_customers(scope, deps, customers)
    if guests:
        _scope_guests(scope, deps.ctx, _other_profiles(profile), guests)
    return scope


def _scope_customers(scope: ReplaceScope, deps: ExportDeps, links: list[CustomerLink]) -> None:
    for start in range(0, len(links), FETCH_CHUNK):
        chunk = links[start : start + FETCH_CHUNK]
        found = {
            customer.id: customer
            for customer in deps.magento.customers.fetch(int(link.entity_key) for link in chunk)
        }
        for link in chunk:
            customer = found.get(int(link.entity_key))
            if customer is None:
                scope.leave_out(GONE_FROM_MAGENTO)
                continue
            reason = skip_reason(customer.store_id, customer.website_id, deps.ctx)
            if reason is None:
                scope.links.append(link)
            else:
                scope.leave_out(f"customers this profile does not export: {reason}")


def _other_profiles(profile: Profile) -> list[MappingContext]:
    """The store rules of the other profiles writing this shop's contacts to this client."""
    others = Profile.select().where(
        (Profile.client == profile.client_id)
        & (Profile.source == profile.source_id)
        & (Profile.id != profile.id)
    )
    return [mapping_context(other) for other in others]


def _scope_guests(
    scope: ReplaceScope,
    ctx: MappingContext,
    others: list[MappingContext],
    links: list[CustomerLink],
) -> None:
    verdicts: dict[int, str | None] = {}
    for link in links:
        website = guest_website(link.entity_key)
        if website not in verdicts:
            verdicts[website] = _guest_website_reason(website, ctx, others)
        reason = verdicts[website]
        if reason is None:
            scope.links.append(link)
        else:
            scope.leave_out(reason)


def _guest_website_reason(
    website: int, ctx: MappingContext, others: list[MappingContext]
) -> str | None:
    """Why the guests of ``website`` are not this profile's alone, or None when they are."""
    if not ctx.settings.customer.export_guests:
        return "guests: this profile does not export guests (customer.export_guests)"
    views = sorted(s for s, w in ctx.shop.website_of_store.items() if w == website and s)
    if not views:
        return f"guests of website {website}: the collected shop configuration has no store views"
    mine = {s for s in views if skip_reason(s, website, ctx) is None}
    if len(mine) == len(views):
        return None
    rest = [s for s in views if s not in mine]
    theirs = any(other.store_row(s, website) is not None for other in others for s in rest)
    if mine:
        if theirs:
            return f"guests of website {website}: its store views are split between profiles"
        return f"guests of website {website}: this profile exports only some of its store views"
    if theirs:
        return f"guests of website {website}: another profile exports it"
    return f"guests of website {website}: this profile exports none of its store views"
