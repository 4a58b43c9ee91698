"""``customer validate``: can the profile run, do its mappings cover the shop's real customers,
and how long would a full export take within the client's PlentyONE budget.

The mapping lint reads customers from Magento only (no PlentyONE call) and counts the values
they really use that the profile does not map: customer groups, name prefixes, stores,
address countries and the languages their store rows give them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from core.db.models import Profile
from core.export.connections import Backends
from core.magento import Customer
from core.mapping import MappingContext, skip_reason
from core.mapping.names import split_prefix
from core.profiles.service import check_runnable
from core.tools.estimate import Estimate, estimate_export
from core.tools.session import tool_deps

__all__ = ["LINT_SAMPLE", "Finding", "ValidationReport", "lint_customers", "validate_profile"]

LINT_SAMPLE = 5_000  # customers read for the lint by default; the count covers every id
_FETCH = 100


@dataclass(frozen=True)
class Finding:
    """A value real customers use that the profile does not map, and how many use it."""

    kind: str  # group | prefix | store | country | locale
    value: str
    customers: int
    message: str


@dataclass
class ValidationReport:
    problems: list[str]
    findings: list[Finding] = field(default_factory=list)
    scanned: int = 0
    estimate: Estimate | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "runnable": self.ok,
            "problems": self.problems,
            "scanned_customers": self.scanned,
            "findings": [asdict(f) for f in self.findings],
            "estimate": self.estimate.to_json() if self.estimate else None,
        }


def validate_profile(
    profile: Profile, sample: int = LINT_SAMPLE, backends: Backends | None = None
) -> ValidationReport:
    """Runnable check, mapping lint over up to ``sample`` customers, and the export's ETA."""
    report = ValidationReport(problems=[str(p) for p in check_runnable(profile)])
    with tool_deps(profile, read_only=True, backends=backends) as deps:
        ids = list(_all_ids(deps.magento.customers.iter_ids()))
        records = _records(deps.magento, ids[:sample])
        report.findings = lint_customers(records, deps.ctx)
        report.scanned = min(sample, len(ids))
    report.estimate = estimate_export(profile, len(ids))
    return report


def _all_ids(pages: Iterator[list[int]]) -> Iterator[int]:
    for page in pages:
        yield from page


def _records(magento: Any, ids: list[int]) -> Iterator[Customer]:
    for start in range(0, len(ids), _FETCH):
        yield from magento.customers.fetch(ids[start : start + _FETCH])


def lint_customers(
    customers: Iterator[Customer] | list[Customer], ctx: MappingContext
) -> list[Finding]:
    """The unmapped values ``customers`` use, most used first within each kind. Pure."""
    section = ctx.settings.customer
    mapped_groups = {row.magento_group_id for row in section.group_mapping}
    groups: Counter[int] = Counter()
    prefixes: Counter[str] = Counter()
    stores: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    locales: Counter[str] = Counter()
    for customer in customers:
        if customer.group_id is not None and customer.group_id not in mapped_groups:
            groups[customer.group_id] += 1
        salutation, _ = split_prefix(customer.prefix)
        if salutation and section.gender_for(salutation) is None:
            prefixes[salutation] += 1
        reason = skip_reason(customer.store_id, customer.website_id, ctx)
        if reason:
            stores[reason] += 1
            continue
        row = ctx.store_row(customer.store_id, customer.website_id)
        if row is not None and row.locale not in ctx.plenty.languages:
            locales[row.locale] += 1
        for address in customer.addresses:
            iso = (address.country_id or "").strip().upper()
            if iso not in ctx.plenty.country_ids:
                countries[iso or "(empty)"] += 1
    fallback = (
        f"they get default_group {section.default_group}"
        if section.default_group is not None
        else "they get no customer class"
    )
    findings = [
        Finding(
            "group",
            str(g),
            n,
            f"Magento customer group {g} is used by {n} customers and has no group_mapping "
            f"row: {fallback}",
        )
        for g, n in groups.most_common()
    ]
    findings += [
        Finding(
            "prefix",
            p,
            n,
            f"name prefix {p!r} is used by {n} customers and is not in gender_mapping: "
            "their gender comes from Magento's gender attribute, if any",
        )
        for p, n in prefixes.most_common()
    ]
    findings += [
        Finding("store", reason, n, f"{n} customers are not exported: {reason}")
        for reason, n in stores.most_common()
    ]
    findings += [
        Finding(
            "country",
            iso,
            n,
            f"{n} addresses use country {iso}, which PlentyONE does not list: they are "
            "not exported",
        )
        for iso, n in countries.most_common()
    ]
    findings += [
        Finding(
            "locale",
            loc,
            n,
            f"{n} customers get language {loc!r}, which PlentyONE does not offer",
        )
        for loc, n in locales.most_common()
    ]
    return findings
