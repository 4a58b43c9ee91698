"""B2B company accounts: when a customer gets one, and which colleagues share it."""

from __future__ import annotations

from core.errors import DataError
from core.export.identity import account_external_id
from core.magento import Customer
from core.mapping.checks import checked_text, checked_vat
from core.mapping.context import MappingContext
from core.mapping.drafts import AccountDraft, ContactDraft, fingerprint


def _company(customer: Customer) -> str | None:
    billing = customer.default_billing_id
    ordered = sorted(customer.addresses, key=lambda a: a.id != billing)
    return next((a.company.strip() for a in ordered if a.company and a.company.strip()), None)


def _vat_raw(customer: Customer) -> tuple[str | None, str | None]:
    """The customer's VAT id and the country of the address it belongs to (the billing one
    for the account's own ``taxvat``)."""
    billing = customer.default_billing_id
    ordered = sorted(customer.addresses, key=lambda a: a.id != billing)
    country = ordered[0].country_id if ordered else None
    candidates = [(customer.taxvat, country), *((a.vat_id, a.country_id) for a in ordered)]
    return next(((v, c) for v, c in candidates if v and v.strip()), (None, None))


def account_key(vat: str | None, company: str, website_id: int | None) -> str:
    """``vat:DE136695976``, else ``co:<website>:<hash of the case-folded company name>``."""
    if vat:
        return f"vat:{vat.upper()}"
    folded = " ".join(company.casefold().split())
    return f"co:{website_id if website_id is not None else 0}:{fingerprint(folded)}"


def map_account(
    customer: Customer, ctx: MappingContext, contact: ContactDraft
) -> tuple[AccountDraft | None, list[str]]:
    """The account this customer belongs to, if the profile's trigger asks for one."""
    section = ctx.settings.customer
    warnings: list[str] = []
    vat, problem = checked_vat(*_vat_raw(customer))
    if problem:
        warnings.append(f"account: {problem}")
    in_b2b_group = customer.group_id in section.b2b_group_ids
    trigger = section.account_trigger
    wanted = (
        (trigger in ("vat_id", "vat_id_or_b2b_groups") and vat is not None)
        or (trigger in ("b2b_groups", "vat_id_or_b2b_groups") and in_b2b_group)
        or contact.is_company
    )
    if not wanted:
        return None, warnings
    try:
        company = checked_text(_company(customer), "the company name", warnings=warnings)
    except DataError as exc:
        warnings.append(f"account: {exc}; no account was linked")
        return None, warnings
    if company is None:
        warnings.append("account: no company name in the address book; no account was linked")
        return None, warnings
    website = ctx.website_of(customer.store_id, customer.website_id)
    draft = AccountDraft(account_key=account_key(vat, company, website))
    draft.managed = {"companyName": company}
    if vat:
        draft.managed["taxIdNumber"] = vat
    draft.create_only = {"externalId": account_external_id(ctx.namespace, draft.account_key)}
    return draft, warnings
