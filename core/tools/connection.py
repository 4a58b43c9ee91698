"""``customer test-connection``: both systems reachable, credentials valid, rights present, the
identity filter working as configured, and no contacts of ours that this database does not know.

Only reads are sent. Write rights cannot be proven without writing; a 403 on the first export
names the missing right.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

from core.db.models import CustomerLink, Profile
from core.errors import AuthError, PlentysyncError, ValidationError
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.identity import identity
from core.tools.session import tool_deps

__all__ = ["SCAN_PAGES", "Check", "ConnectionReport", "check_connection"]

SCAN_PAGES = 40  # pages of 250 contacts read for the unknown-contacts check (10,000 contacts)
PAGE = 250
SAMPLE_IDS = 10


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warning | failed
    message: str


@dataclass
class ConnectionReport:
    checks: list[Check] = field(default_factory=list)
    unknown_contacts: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != "failed" for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
            "unknown_contacts": self.unknown_contacts[:SAMPLE_IDS],
        }


def check_connection(
    profile: Profile, scan_pages: int = SCAN_PAGES, backends: Backends | None = None
) -> ConnectionReport:
    """Run every check; a failed one does not stop the ones that do not depend on it."""
    report = ConnectionReport()
    add = report.checks.append
    with tool_deps(profile, read_only=True, backends=backends) as deps:
        add(_probe("Magento: credentials and stores", lambda: _magento_stores(deps)))
        add(_probe("Magento: read customers", lambda: _magento_customers(deps)))
        login = _probe("PlentyONE: login", lambda: _plenty_login(deps))
        add(login)
        if login.status == "failed":
            return report
        add(_probe("PlentyONE: read contacts", lambda: _plenty_contacts(deps)))
        add(_probe("PlentyONE: read accounts", lambda: _plenty_accounts(deps)))
        add(_identity_filter(deps))
        add(_unknown_contacts(deps, scan_pages, report.unknown_contacts))
    return report


def _probe(name: str, check: Callable[[], str]) -> Check:
    try:
        return Check(name, "ok", check())
    except AuthError as exc:
        return Check(name, "failed", f"credentials refused: {exc}")
    except PlentysyncError as exc:
        return Check(name, "failed", str(exc))


def _magento_stores(deps: ExportDeps) -> str:
    websites = deps.magento.stores.websites()
    views = deps.magento.stores.store_views()
    return f"{len(websites)} websites, {len(views)} store views"


def _magento_customers(deps: ExportDeps) -> str:
    pages = deps.magento.customers.iter_ids()
    try:
        first = next(pages, [])
    finally:
        # Ending the scan releases the source's scan lock at once.
        close = getattr(pages, "close", None)
        if close is not None:
            close()
    return f"customer list readable ({len(first)} ids on the first page)"


def _plenty_login(deps: ExportDeps) -> str:
    deps.plenty.session.token()
    return f"logged in as {deps.plenty.config.username}"


def _plenty_contacts(deps: ExportDeps) -> str:
    page = next(iter(deps.plenty.contacts.pages(with_=(), items_per_page=1)), None)
    return f"{page.info.totalsCount if page else 0} contacts in PlentyONE"


def _plenty_accounts(deps: ExportDeps) -> str:
    next(iter(deps.plenty.accounts.iterate()), None)
    return "accounts readable"


def _identity_filter(deps: ExportDeps) -> Check:
    """Exact lookups by identity must work: an unknown one finds nothing, ours finds one."""
    name = f"PlentyONE: identity filter ({deps.ctx.identity_field})"
    field_name = deps.ctx.identity_field
    probe = f"{deps.namespace}:probe:{uuid.uuid4().hex[:8]}"
    try:
        page = next(
            iter(deps.plenty.contacts.pages({field_name: probe}, with_=(), items_per_page=1)), None
        )
    except ValidationError as exc:
        return Check(
            name,
            "failed",
            f"PlentyONE refuses text in the {field_name} filter ({exc}); choose another "
            "identity_field for the client (externalId or number)",
        )
    except PlentysyncError as exc:
        return Check(name, "failed", str(exc))
    if page is not None and page.info.totalsCount > 0:
        return Check(
            name,
            "failed",
            f"the {field_name} filter is ignored: an unknown value matched "
            f"{page.info.totalsCount} contacts; choose another identity_field for the client",
        )
    link = _some_link(deps)
    if link is None:
        return Check(name, "ok", "an unknown identity finds nothing (no linked contact to test)")
    identity = _identity_of(deps, link)
    try:
        hits = deps.plenty.contacts.find_by_identity(identity)
    except PlentysyncError as exc:
        return Check(name, "failed", str(exc))
    if [c.id for c in hits] != [link.contact_id]:
        found = ", ".join(str(c.id) for c in hits) or "nothing"
        return Check(
            name,
            "warning",
            f"{identity} should find contact {link.contact_id} but found {found}",
        )
    return Check(name, "ok", f"{identity} finds exactly its contact {link.contact_id}")


def _some_link(deps: ExportDeps) -> CustomerLink | None:
    return (
        CustomerLink.select()
        .where(
            (CustomerLink.client == deps.client_id)
            & (CustomerLink.namespace == deps.namespace)
            & (CustomerLink.state == "linked")
            & CustomerLink.contact_id.is_null(False)
        )
        .order_by(CustomerLink.id.desc())
        .first()
    )


def _identity_of(deps: ExportDeps, link: CustomerLink) -> str:
    return identity(deps.namespace, link.entity_type, link.entity_key)


def _unknown_contacts(deps: ExportDeps, scan_pages: int, unknown: list[int]) -> Check:
    """Contacts in our namespace that no link of this database names.

    They appear when the database was lost or replaced, or when a staging copy with the same
    namespace writes to this PlentyONE system; an export would then adopt them by identity,
    but their history here is gone.
    """
    name = "PlentyONE: contacts in our namespace unknown to this database"
    prefix = f"{deps.namespace}:"
    field_name = deps.ctx.identity_field
    ours: dict[int, str] = {}
    read = 0
    try:
        pages = deps.plenty.contacts.pages(with_=(), items_per_page=PAGE)
        last_page = True
        for page in islice(pages, scan_pages):
            read += len(page.entries)
            last_page = page.is_last
            for contact in page.entries:
                value = getattr(contact, field_name) or ""
                if value.startswith(prefix):
                    ours[contact.id] = value
    except PlentysyncError as exc:
        return Check(name, "failed", str(exc))
    known = {
        row.contact_id
        for row in CustomerLink.select(CustomerLink.contact_id).where(
            (CustomerLink.client == deps.client_id)
            & (CustomerLink.namespace == deps.namespace)
            & CustomerLink.contact_id.in_(list(ours) or [0])
        )
    }
    unknown += sorted(set(ours) - known)
    scope = f"{read} contacts read" + ("" if last_page else f" (first {scan_pages} pages only)")
    if unknown:
        sample = ", ".join(str(i) for i in unknown[:SAMPLE_IDS])
        return Check(
            name,
            "warning",
            f"{len(unknown)} contacts carry our namespace {deps.namespace!r} but no link here "
            f"(e.g. {sample}); {scope}. Was the database restored from an old copy or lost, "
            "or does a staging copy write to this PlentyONE system?",
        )
    return Check(name, "ok", f"{len(ours)} contacts in our namespace, all known; {scope}")
