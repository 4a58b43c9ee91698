"""Dry run: what an export would do to each customer, planned by the export's own planning step.

Each customer's drafts (``core.export.entity.draft_customer``) and what the link rows know of
it go through ``core.export.plan.plan_batch``, the rules the export applies, and the preview
prints that plan. The stored comparison reads only Magento and this database (the fingerprints
of what we last sent). The live comparison first looks the contact up as the export would
(``resolve``) and also reads the contact as PlentyONE holds it now; each customer costs
PlentyONE reads, so it is capped. Either way the PlentyONE client cannot write: its transport
refuses every write (``session.tool_deps``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

from core.db.models import CustomerLink, Profile, Run, RunItem
from core.errors import NotFoundError
from core.export.batch import customer_drafts
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.entity import Outcome, known_for, landed_create, rules_of
from core.export.links import find_link, known_of
from core.export.plan import Drafts, EntityPlan, Known, StoredAccount, plan_batch
from core.export.resolve import resolve
from core.export.runs import RunOptions
from core.mapping.drafts import option_key
from core.plenty import Contact, mask_personal_data
from core.profiles.service import profile_settings
from core.settings import get_settings
from core.tools.session import tool_deps

__all__ = ["LIVE_CAP", "DryRunReport", "EntityPreview", "dry_run", "preview_entity"]

LIVE_CAP = 200  # customers a live dry run looks at unless told otherwise
_FETCH = 100  # customers fetched from Magento per call


@dataclass
class EntityPreview:
    """What an export would do to one customer, and why."""

    key: str
    action: str  # create | update | unchanged | conflict | skipped | failed
    contact_id: int | None = None
    fields: list[str] = field(default_factory=list)  # contact fields and options to be sent
    addresses: list[str] = field(default_factory=list)  # e.g. "create billing 12"
    account: str = ""  # create | update | link | ""
    reason: str = ""
    found_by: str = ""  # live only: link | identity | email | guest | new
    live: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> plenty / ours
    writes: int = 0  # PlentyONE writes the plan makes


@dataclass
class DryRunReport:
    """Every previewed customer of a profile; ``not_looked_at`` counts those left out by the cap."""

    profile: str
    live: bool
    items: list[EntityPreview] = field(default_factory=list)
    not_looked_at: int = 0
    # The export sends the address relations of each batch as one array call.
    relation_arrays: int = 0

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(
            ("create", "update", "unchanged", "conflict", "skipped", "failed"), 0
        )
        for item in self.items:
            counts[item.action] = counts.get(item.action, 0) + 1
        return counts

    def writes(self) -> int:
        """The PlentyONE writes the previewed plans make, all together (the relation arrays
        of their batches included).
        """
        return sum(item.writes for item in self.items) + self.relation_arrays

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "live": self.live,
            "counts": self.counts(),
            "writes": self.writes(),
            "relation_arrays": self.relation_arrays,
            "not_looked_at": self.not_looked_at,
            "customers": [asdict(item) for item in self.items],
        }


def dry_run(
    profile: Profile,
    options: RunOptions | None = None,
    *,
    live: bool = False,
    limit: int | None = None,
    mask: bool | None = None,
    backends: Backends | None = None,
) -> DryRunReport:
    """Preview an export of ``profile`` without sending a single write to PlentyONE.

    ``limit`` caps how many customers are looked at (default: all, or ``LIVE_CAP`` when live).
    ``mask`` says whether the live values are masked (None: as the settings say); the
    command shows real values to the person at the terminal only.
    """
    options = options or RunOptions()
    cap = limit if limit is not None else (LIVE_CAP if live else None)
    report = DryRunReport(profile.name, live)
    with tool_deps(profile, read_only=True, options=options, backends=backends) as deps:
        keys = _keys(deps, options)
        # The account rows the customers planned so far leave behind, for the next chunk.
        accounts: Mapping[str, StoredAccount] = {}
        for chunk in _chunks(keys, _FETCH):
            room = None if cap is None else cap - len(report.items)
            if room is not None and room <= 0:
                report.not_looked_at += len(chunk)
                continue
            taken = chunk if room is None else chunk[:room]
            report.not_looked_at += len(chunk) - len(taken)
            drafts = customer_drafts(deps, taken)
            previews, accounts = _preview(deps, profile, drafts, live, mask, accounts)
            report.items += [previews[key] for key in taken]
    size = profile_settings(profile).schedule.process_batch_size
    report.relation_arrays = len(
        {
            position // size
            for position, item in enumerate(report.items)
            if any(a.startswith("relate ") for a in item.addresses)
        }
    )
    return report


def _keys(deps: ExportDeps, options: RunOptions) -> Iterator[str]:
    if options.entity_ids is not None:
        keys: Iterator[str] = (str(i) for i in sorted(set(options.entity_ids)))
    else:
        keys = (str(i) for page in deps.magento.customers.iter_ids() for i in page)
    if not options.new_only:
        return keys
    return (k for k in keys if not _linked(find_link(deps, "customer", k)))


def _chunks(keys: Iterator[str], size: int) -> Iterator[list[str]]:
    while chunk := list(islice(keys, size)):
        yield chunk


def _linked(link: CustomerLink | None) -> bool:
    return link is not None and link.state == "linked" and bool(link.contact_id)


def preview_entity(
    deps: ExportDeps,
    profile: Profile,
    key: str,
    planned: Drafts | Outcome,
    *,
    live: bool = False,
    mask: bool | None = None,
) -> EntityPreview:
    """The preview of one customer (its drafts, or the outcome that stops it)."""
    previews, _ = _preview(deps, profile, {key: planned}, live, mask, {})
    return previews[key]


@dataclass(frozen=True)
class _Lookup:
    """What the export would know of a customer before planning, and what to say about it."""

    known: Known
    reason: str = ""
    found_by: str = ""
    contact: Contact | None = None  # live: the contact as PlentyONE holds it now


def _preview(
    deps: ExportDeps,
    profile: Profile,
    drafted: Mapping[str, Drafts | Outcome],
    live: bool,
    mask: bool | None,
    accounts: Mapping[str, StoredAccount],
) -> tuple[dict[str, EntityPreview], Mapping[str, StoredAccount]]:
    """Plan the customers in order as the export would, and describe each plan."""
    previews: dict[str, EntityPreview] = {}
    looked: dict[str, tuple[Drafts, _Lookup]] = {}
    for key, drafts in drafted.items():
        if isinstance(drafts, Outcome):
            previews[key] = EntityPreview(key, drafts.action, reason=drafts.message)
            continue
        lookup = _live(deps, drafts) if live else _stored(deps, profile, drafts)
        if isinstance(lookup, EntityPreview):
            previews[key] = lookup
        else:
            looked[key] = (drafts, lookup)
    batch = plan_batch(
        ((key, drafts, lookup.known) for key, (drafts, lookup) in looked.items()),
        rules_of(deps),
        accounts,
    )
    for key, (drafts, lookup) in looked.items():
        preview = _described(key, batch.entities[key], lookup)
        if lookup.contact is not None:
            preview.live = _differences(drafts, lookup.contact, mask)
        if drafts.warnings and not preview.reason:
            preview.reason = "; ".join(drafts.warnings)
        previews[key] = preview
    return previews, batch.accounts


def _described(key: str, plan: EntityPlan, lookup: _Lookup) -> EntityPreview:
    if plan.skipped:
        return EntityPreview(key, "skipped", reason=plan.skipped, found_by=lookup.found_by)
    return EntityPreview(
        key,
        plan.action,
        lookup.known.contact_id,
        fields=list(plan.contact.fields),
        addresses=[write.describe() for write in plan.addresses],
        account=plan.account.summary if plan.account is not None else "",
        reason=lookup.reason,
        found_by=lookup.found_by,
        writes=plan.writes,
    )


def _account_key(drafts: Drafts) -> str | None:
    return drafts.account.account_key if drafts.account is not None else None


def _stored(deps: ExportDeps, profile: Profile, drafts: Drafts) -> _Lookup | EntityPreview:
    """From this database alone: the link, or a new contact (an export looks for one first)."""
    link = find_link(deps, drafts.entity_type, drafts.key)
    if not _linked(link):
        conflict = _last_conflict(profile, drafts)
        if conflict is not None:
            return EntityPreview(drafts.key, "conflict", reason=conflict)
        known = known_of(deps, link, _account_key(drafts), found_by="new")
        return _Lookup(known, "no link yet (an export first looks for a matching contact)")
    assert link is not None
    return _Lookup(
        known_of(deps, link, _account_key(drafts), found_by="link", contact_id=link.contact_id)
    )


def _last_conflict(profile: Profile, drafts: Drafts) -> str | None:
    """The message of the entity's latest run item when that was a conflict."""
    item = (
        RunItem.select(RunItem.action, RunItem.message)
        .join(Run)
        .where(
            (Run.profile == profile.id)
            & (RunItem.entity_type == drafts.entity_type)
            & (RunItem.entity_key == drafts.key)
        )
        .order_by(RunItem.id.desc())
        .first()
    )
    return item.message if item is not None and item.action == "conflict" else None


def _live(deps: ExportDeps, drafts: Drafts) -> _Lookup | EntityPreview:
    """Resolve as the export would (reads only), then read the contact as it is now."""
    found = resolve(deps, drafts.entity_type, drafts.key, drafts.contact, drafts.guest_of_customer)
    if found.skip:
        return EntityPreview(drafts.key, "skipped", reason=found.skip, found_by=found.how)
    if found.conflict:
        ids = ", ".join(str(c) for c in found.candidates)
        return EntityPreview(
            drafts.key,
            "conflict",
            reason=f"several PlentyONE contacts match by {found.how}: {ids}",
            found_by=found.how,
        )
    if found.contact_id is None:
        known = known_for(deps, drafts, found, landed=False)
        return _Lookup(known, "no matching contact in PlentyONE", found.how)
    try:
        contact = deps.plenty.contacts.get(found.contact_id)
    except NotFoundError:
        # The export drops the link (and its address links) and creates the contact anew.
        known = known_of(deps, None, _account_key(drafts), found_by="new")
        return _Lookup(known, f"the linked contact {found.contact_id} is gone", found.how)
    known = known_for(deps, drafts, found, landed=landed_create(found))
    reason = "" if found.how == "link" else "an existing contact would be adopted"
    return _Lookup(known, reason, found.how, contact)


def _differences(drafts: Drafts, contact: Contact, mask: bool | None) -> dict[str, dict[str, Any]]:
    """Managed fields and options whose value in PlentyONE differs from ours."""
    current = contact.model_dump()
    pairs: dict[str, tuple[Any, Any]] = {}
    for name, ours in drafts.contact.managed.items():
        theirs = current.get(name)
        if theirs != ours and not (theirs in (None, "") and ours in (None, "")):
            pairs[name] = (theirs, ours)
    for option in drafts.contact.options:
        theirs = contact.option(option["typeId"], option.get("subTypeId"))
        if theirs != option["value"]:
            pairs[option_key(option)] = (theirs, option["value"])
    if mask is None:
        mask = get_settings().mask_personal_data
    return {
        name: {"plenty": _shown(name, theirs, mask), "ours": _shown(name, ours, mask)}
        for name, (theirs, ours) in pairs.items()
    }


def _shown(name: str, value: Any, mask: bool) -> Any:
    """A value as the operator sees it: masked by the one masking of ``core.plenty``."""
    if not mask:
        return value
    if name.startswith("option:"):
        # Options carry e-mails and phones in "value": masked as an option record.
        return mask_personal_data({"typeId": 0, "value": value})["value"]
    return mask_personal_data({name: value})[name]
