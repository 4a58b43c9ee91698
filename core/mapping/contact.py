"""Magento customers and guest buyers as PlentyONE contacts."""

from __future__ import annotations

import datetime as dt

from core.errors import DataError, RecordError
from core.export.identity import customer_key, guest_key, identity
from core.magento import Customer, GuestBuyer
from core.mapping.checks import checked_birthday, checked_text, validated_email
from core.mapping.context import (
    CONTACT_TYPE_CUSTOMER,
    EMAIL_OPTION,
    PHONE_OPTION,
    MappingContext,
)
from core.mapping.drafts import ContactDraft
from core.mapping.names import gender_of, split_prefix

GUEST_GROUP = 0  # Magento's "NOT LOGGED IN"


def skip_reason(store_id: int | None, website_id: int | None, ctx: MappingContext) -> str | None:
    """Why a record of this store is not exported by the profile, or None when it is."""
    if not ctx.settings.customer.is_active:
        return "customer export is off (customer.is_active)"
    if ctx.store_row(store_id, website_id) is None:
        store = ctx.shop.effective_store(store_id, website_id)
        if ctx.settings.store.is_active_store_filter:
            return f"store {store} is not in the store mapping and the store filter is on"
        return f"store {store} has no store mapping row and there is no fallback row"
    return None


def _base(
    ctx: MappingContext, entity_type: str, key: str, store_id: int | None, website_id: int | None
) -> ContactDraft:
    row = ctx.store_row(store_id, website_id)
    if row is None:
        raise DataError(skip_reason(store_id, website_id, ctx) or "no store mapping")
    website = ctx.website_of(store_id, website_id)
    referrer = ctx.settings.store.referrer_for(website if website is not None else -1)
    if referrer is None:
        raise DataError("no referrer: set store.referrer_id in the profile")
    draft = ContactDraft(identity=identity(ctx.namespace, entity_type, key))
    draft.create_only = {
        "typeId": CONTACT_TYPE_CUSTOMER,
        "referrerId": referrer,
        "plentyId": row.plenty_id,
    }
    draft.create_only[ctx.identity_field] = draft.identity
    draft.managed["lang"] = row.locale
    return draft


NAME_FIELDS = {
    "firstname": "the first name",
    "middlename": "the middle name",
    "lastname": "the last name",
}


def _name(draft: ContactDraft, field: str, value: str | None) -> str | None:
    return checked_text(value, NAME_FIELDS[field], field=field, warnings=draft.warnings)


def _names(draft: ContactDraft, first: str | None, middle: str | None, last: str | None) -> None:
    """First (with the middle name) and last name; both are needed for a contact."""
    first_name, last_name = _name(draft, "firstname", first), _name(draft, "lastname", last)
    middle_name = _name(draft, "middlename", middle)
    for field, value, raw in (("firstname", first_name, first), ("lastname", last_name, last)):
        if value is None:
            problem = "is missing" if raw is None else "is empty"
            raise RecordError(f"{NAME_FIELDS[field]} ({field}) {problem}", field=field, value=raw)
    full_first = " ".join(p for p in (first_name, middle_name) if p)
    draft.managed["firstName"] = checked_text(
        full_first, "the first and middle name", field="firstname"
    )
    draft.managed["lastName"] = last_name


def _email(draft: ContactDraft, raw: str | None) -> None:
    draft.email = validated_email(raw)
    draft.options.append(
        {"typeId": EMAIL_OPTION[0], "subTypeId": EMAIL_OPTION[1], "value": draft.email}
    )


def _phone(draft: ContactDraft, phone: str | None) -> None:
    if phone and phone.strip():
        draft.options.append(
            {"typeId": PHONE_OPTION[0], "subTypeId": PHONE_OPTION[1], "value": phone.strip()}
        )


def _salutation(
    draft: ContactDraft, prefix: str | None, gender_option: int | None, ctx: MappingContext
) -> None:
    gender = gender_of(prefix, gender_option, ctx.settings.customer, ctx.shop.gender_labels)
    if gender == "company":
        draft.is_company = True
    elif gender:
        draft.managed["gender"] = gender
    _, title = split_prefix(prefix)
    if title:
        draft.managed["title"] = title


def map_customer(
    customer: Customer, ctx: MappingContext, today: dt.date | None = None
) -> ContactDraft:
    """The contact for a registered customer; DataError when the record cannot be sent.

    ``today`` bounds the date of birth (the current UTC date when not given).
    """
    draft = _base(
        ctx, "customer", customer_key(customer.id), customer.store_id, customer.website_id
    )
    _email(draft, customer.email)
    _names(draft, customer.firstname, customer.middlename, customer.lastname)
    _salutation(draft, customer.prefix, customer.gender, ctx)
    class_id = ctx.settings.customer.class_for(customer.group_id)
    if class_id is not None:
        draft.managed["classId"] = class_id
    birthday = checked_birthday(customer.dob, "dob", today or dt.datetime.now(dt.UTC).date())
    if birthday:
        draft.managed["birthdayAt"] = f"{birthday}T00:00:00+00:00"
    billing = next((a for a in customer.addresses if a.id == customer.default_billing_id), None)
    phones = [billing.telephone] if billing else []
    phones += [a.telephone for a in customer.addresses]
    _phone(draft, next((p for p in phones if p and p.strip()), None))
    return draft


def map_guest(buyer: GuestBuyer, ctx: MappingContext) -> ContactDraft:
    """The contact for a guest buyer (one per website and e-mail), from their latest order."""
    email = validated_email(buyer.email)
    website = ctx.website_of(buyer.store_id, buyer.website_id)
    if website is None:
        raise DataError(f"order {buyer.order_id}: its store belongs to no known website")
    draft = _base(ctx, "guest", guest_key(website, email), buyer.store_id, website)
    draft.create_only["singleAccess"] = True
    _email(draft, email)
    billing = buyer.billing_address
    _names(
        draft,
        buyer.firstname or (billing.firstname if billing else None),
        billing.middlename if billing else None,
        buyer.lastname or (billing.lastname if billing else None),
    )
    _salutation(draft, billing.prefix if billing else None, None, ctx)
    class_id = ctx.settings.customer.class_for(GUEST_GROUP)
    if class_id is not None:
        draft.managed["classId"] = class_id
    _phone(draft, billing.telephone if billing else None)
    return draft
