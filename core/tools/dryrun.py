"""Dry run: what an export would do to each customer, computed with the pipeline's own planning.

The stored comparison reads only Magento and this database: the drafts of
``core.export.entity.plan_customer`` against the fingerprints of what we last sent
(``CustomerLink.sent``, ``AddressLink.payload_hash``, ``AccountLink.payload_hash``), which is
exactly how the export decides what to send. The live comparison also reads the contact as
PlentyONE holds it now; each customer costs PlentyONE reads, so it is capped. Either way the
PlentyONE client cannot write: its transport refuses every write (``session.tool_deps``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

from core.db.models import AddressLink, CustomerLink, Profile, Run, RunItem
from core.errors import NotFoundError
from core.export.batch import customer_plans
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.entity import Outcome, Plan
from core.export.links import account_link, find_link
from core.export.parts import UNCERTAIN_ADDRESSES
from core.export.resolve import resolve
from core.export.runs import RunOptions
from core.mapping import AddressDraft, fingerprint
from core.mapping.drafts import option_key
from core.plenty import Contact, mask_personal_data
from core.settings import get_settings
from core.tools.session import tool_deps

__all__ = ["LIVE_CAP", "DryRunReport", "EntityPreview", "dry_run", "preview_entity"]

LIVE_CAP = 200  # customers a live dry run looks at unless told otherwise
_FETCH = 100  # customers fetched from Magento per call
RELATION = {1: "billing", 2: "delivery"}


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


@dataclass
class DryRunReport:
    """Every previewed customer of a profile; ``not_looked_at`` counts those left out by the cap."""

    profile: str
    live: bool
    items: list[EntityPreview] = field(default_factory=list)
    not_looked_at: int = 0

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(
            ("create", "update", "unchanged", "conflict", "skipped", "failed"), 0
        )
        for item in self.items:
            counts[item.action] = counts.get(item.action, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "live": self.live,
            "counts": self.counts(),
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
        for chunk in _chunks(keys, _FETCH):
            room = None if cap is None else cap - len(report.items)
            if room is not None and room <= 0:
                report.not_looked_at += len(chunk)
                continue
            taken = chunk if room is None else chunk[:room]
            report.not_looked_at += len(chunk) - len(taken)
            plans = customer_plans(deps, taken)
            report.items += [
                preview_entity(deps, profile, key, plans[key], live=live, mask=mask)
                for key in taken
            ]
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
    planned: Plan | Outcome,
    *,
    live: bool = False,
    mask: bool | None = None,
) -> EntityPreview:
    """The preview of one planned customer (a plan, or the outcome that stops it)."""
    if isinstance(planned, Outcome):
        return EntityPreview(key, planned.action, reason=planned.message)
    preview = _live(deps, planned, mask) if live else _stored(deps, profile, planned)
    if planned.warnings and not preview.reason:
        preview.reason = "; ".join(planned.warnings)
    return preview


def _stored(deps: ExportDeps, profile: Profile, plan: Plan) -> EntityPreview:
    link = find_link(deps, plan.entity_type, plan.key)
    if not _linked(link):
        conflict = _last_conflict(profile, plan)
        if conflict is not None:
            return EntityPreview(plan.key, "conflict", reason=conflict)
        return _new(deps, plan, "no link yet (an export first looks for a matching contact)")
    assert link is not None
    return _changes(deps, plan, link, sent=_sent(deps, link))


def _new(deps: ExportDeps, plan: Plan, reason: str) -> EntityPreview:
    if deps.options.behaviour == "sync":
        return EntityPreview(plan.key, "skipped", reason="no linked contact; sync creates none")
    fields = sorted({*plan.contact.create_only, *plan.contact.fingerprints()})
    addresses = [f"create {_describe(d)}" for d in plan.addresses] if _addresses_on(deps) else []
    account = "" if plan.account is None else _account_change(deps, None, plan)
    return EntityPreview(
        plan.key, "create", fields=fields, addresses=addresses, account=account, reason=reason
    )


def _sent(deps: ExportDeps, link: CustomerLink) -> dict[str, str]:
    sent = {} if deps.options.force else dict(link.sent or {})
    sent.pop(UNCERTAIN_ADDRESSES, None)
    return sent


def _changes(
    deps: ExportDeps, plan: Plan, link: CustomerLink, sent: dict[str, str]
) -> EntityPreview:
    fields = plan.contact.changes(sent)
    addresses = _address_changes(link, plan.addresses) if _addresses_on(deps) else []
    account = "" if plan.account is None else _account_change(deps, link, plan)
    action = "update" if fields or addresses or account else "unchanged"
    return EntityPreview(
        plan.key, action, link.contact_id, fields=fields, addresses=addresses, account=account
    )


def _addresses_on(deps: ExportDeps) -> bool:
    return deps.ctx.settings.customer.create_address


def _describe(draft: AddressDraft) -> str:
    return f"{RELATION.get(draft.type_id, draft.type_id)} {draft.address_key}"


def _address_changes(link: CustomerLink, drafts: list[AddressDraft]) -> list[str]:
    """The address writes ``sync_addresses`` would make, by the same rules."""
    existing = {
        (a.address_key, a.type_id): a
        for a in AddressLink.select().where(AddressLink.customer_link == link.id)
    }
    changes = []
    for draft in drafts:
        current = existing.pop((draft.address_key, draft.type_id), None)
        if current is None:
            changes.append(f"create {_describe(draft)}")
        elif (
            current.payload_hash != draft.content_fingerprint()
            or current.is_primary != draft.is_primary
        ):
            changes.append(f"update {_describe(draft)}")
    changes += [
        f"unlink {RELATION.get(gone.type_id, gone.type_id)} {gone.address_key}"
        for gone in existing.values()
    ]
    return changes


def _account_change(deps: ExportDeps, link: CustomerLink | None, plan: Plan) -> str:
    """What ``sync_account`` would do: create, update or link the company account."""
    assert plan.account is not None
    row = account_link(deps, plan.account.account_key)
    if row is None or row.state != "linked":
        return "create"
    if row.payload_hash != fingerprint(plan.account.managed):
        return "update"
    if link is None or link.account_id != row.account_id:
        return "link"
    return ""


def _last_conflict(profile: Profile, plan: Plan) -> str | None:
    """The message of the entity's latest run item when that was a conflict."""
    item = (
        RunItem.select(RunItem.action, RunItem.message)
        .join(Run)
        .where(
            (Run.profile == profile.id)
            & (RunItem.entity_type == plan.entity_type)
            & (RunItem.entity_key == plan.key)
        )
        .order_by(RunItem.id.desc())
        .first()
    )
    return item.message if item is not None and item.action == "conflict" else None


def _live(deps: ExportDeps, plan: Plan, mask: bool | None) -> EntityPreview:
    """Resolve as the export would (reads only), then compare with the contact as it is now."""
    found = resolve(deps, plan.entity_type, plan.key, plan.contact, plan.guest_of_customer)
    if found.skip:
        return EntityPreview(plan.key, "skipped", reason=found.skip, found_by=found.how)
    if found.conflict:
        ids = ", ".join(str(c) for c in found.candidates)
        return EntityPreview(
            plan.key,
            "conflict",
            reason=f"several PlentyONE contacts match by {found.how}: {ids}",
            found_by=found.how,
        )
    if found.contact_id is None:
        preview = _new(deps, plan, "no matching contact in PlentyONE")
        preview.found_by = found.how
        return preview
    try:
        contact = deps.plenty.contacts.get(found.contact_id)
    except NotFoundError:
        preview = _new(deps, plan, f"the linked contact {found.contact_id} is gone")
        preview.found_by = found.how
        return preview
    if found.how == "link" and found.link is not None:
        preview = _changes(deps, plan, found.link, sent=_sent(deps, found.link))
    else:
        # An adopted contact gets every managed field and our identity.
        preview = _changes_for_adoption(deps, plan, found.contact_id)
    preview.found_by = found.how
    preview.live = _differences(plan, contact, mask)
    return preview


def _changes_for_adoption(deps: ExportDeps, plan: Plan, contact_id: int) -> EntityPreview:
    fields = sorted({*plan.contact.fingerprints(), deps.ctx.identity_field})
    addresses = [f"create {_describe(d)}" for d in plan.addresses] if _addresses_on(deps) else []
    account = "" if plan.account is None else _account_change(deps, None, plan)
    return EntityPreview(
        plan.key,
        "update",
        contact_id,
        fields=fields,
        addresses=addresses,
        account=account,
        reason="an existing contact would be adopted",
    )


def _differences(plan: Plan, contact: Contact, mask: bool | None) -> dict[str, dict[str, Any]]:
    """Managed fields and options whose value in PlentyONE differs from ours."""
    current = contact.model_dump()
    pairs: dict[str, tuple[Any, Any]] = {}
    for name, ours in plan.contact.managed.items():
        theirs = current.get(name)
        if theirs != ours and not (theirs in (None, "") and ours in (None, "")):
            pairs[name] = (theirs, ours)
    for option in plan.contact.options:
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
