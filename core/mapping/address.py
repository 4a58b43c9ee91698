"""Magento addresses as PlentyONE addresses, one draft per relation (billing or delivery)."""

from __future__ import annotations

from typing import Any

from core.errors import DataError
from core.export.identity import address_external_id
from core.magento import Address, Customer, GuestBuyer, OrderAddress
from core.mapping.checks import LINE_BREAKS, checked_text, checked_vat
from core.mapping.context import MappingContext
from core.mapping.drafts import AddressDraft, ContactDraft, fingerprint
from core.mapping.streets import split_house_number
from core.profiles.address_fields import ADDRESS_OPTIONS

BILLING, DELIVERY = 1, 2
EXTERNAL_ADDRESS_ID = ADDRESS_OPTIONS["externalAddressId"]

MagentoAddress = Address | OrderAddress


def _value(address: MagentoAddress, source: str, contact: ContactDraft) -> Any:
    if source == "email":
        return contact.email
    if source == "region":
        region = address.region
        if isinstance(region, str) or region is None:
            return region
        return region.region_code or region.region
    if hasattr(address, source):
        return getattr(address, source)
    for attribute in getattr(address, "custom_attributes", []):
        if attribute.attribute_code == source:
            return attribute.value
    return None


def _street_lines(lines: list[str], label: str, warnings: list[str]) -> list[str]:
    """Each street line checked; a tab or line break inside a line counts as a space.

    Imports and copied text often put them there, and PlentyONE keeps one line per field.
    """
    return [
        checked_text(line, f"{label} street line {n}", allowed=LINE_BREAKS, warnings=warnings) or ""
        for n, line in enumerate(lines, start=1)
    ]


def _street(lines: list[str], country: str, fields: dict[str, Any], taken: set[str]) -> None:
    clean = [" ".join(line.split()) for line in lines if line and line.strip()]
    street, number = split_house_number(clean[0], country)
    fields["address1"] = street
    if number:
        fields["address2"] = number
    for target, line in zip(("address3", "address4"), clean[1:3], strict=False):
        if target not in taken:
            fields[target] = line


def address_draft(
    address: MagentoAddress,
    address_key: str,
    ctx: MappingContext,
    contact: ContactDraft,
    warnings: list[str],
) -> AddressDraft | None:
    """The mapped fields and options of one address; None (with a warning) when unusable."""
    label = f"address {address_key}"
    iso = (address.country_id or "").strip().upper()
    country_id = ctx.plenty.country_ids.get(iso)
    if country_id is None:
        warnings.append(
            f"{label}: country {iso or '(empty)'} is not in PlentyONE's country "
            "table; the address was not sent"
        )
        return None
    try:
        street = _street_lines(address.street, label, warnings)
    except DataError as exc:
        warnings.append(f"{exc}; the address was not sent")
        return None
    if not any(street):
        warnings.append(f"{label}: the street is empty; the address was not sent")
        return None
    draft = AddressDraft(address_key=address_key)
    fields: dict[str, Any] = {}
    options: dict[int, str] = {EXTERNAL_ADDRESS_ID: address_external_id(ctx.namespace, address_key)}
    rows = ctx.settings.customer.address_field_mapping
    taken = {row.plenty_field for row in rows if row.magento_field != "street"}
    for row in rows:
        if row.magento_field == "street":
            _street(street, iso, fields, taken)
            continue
        if row.magento_field.startswith("street["):
            index = int(row.magento_field[7])
            if index < len(street) and street[index]:
                fields[row.plenty_field] = street[index]
            continue
        value = _value(address, row.magento_field, contact)
        if row.plenty_field == "countryId":
            fields["countryId"] = country_id
        elif row.plenty_field == "stateId":
            state = ctx.plenty.state_id(country_id, value if isinstance(value, str) else None)
            if state is not None:
                fields["stateId"] = state
        elif row.plenty_field == "vatNumber":
            vat, problem = checked_vat(value, iso)
            if problem:
                warnings.append(f"{label}: {problem}")
            elif vat:
                options[ADDRESS_OPTIONS["vatNumber"]] = vat
        elif row.plenty_field in ADDRESS_OPTIONS:
            if value not in (None, ""):
                options[ADDRESS_OPTIONS[row.plenty_field]] = str(value).strip()
        elif value not in (None, ""):
            fields[row.plenty_field] = str(value).strip()
    if contact.is_company and "name1" not in fields and getattr(address, "company", None):
        fields["name1"] = str(address.company).strip()
    gender = contact.managed.get("gender")
    if gender and not contact.is_company:
        fields["gender"] = gender
    try:
        fields = {
            k: checked_text(v, f"{label} {k}", warnings=warnings) if isinstance(v, str) else v
            for k, v in fields.items()
        }
    except DataError as exc:
        warnings.append(f"{exc}; the address was not sent")
        return None
    draft.managed = fields
    draft.options = [{"typeId": t, "value": v} for t, v in sorted(options.items())]
    return draft


def _with_relation(draft: AddressDraft, type_id: int, primary: bool) -> AddressDraft:
    return AddressDraft(
        managed=dict(draft.managed),
        options=[dict(o) for o in draft.options],
        address_key=draft.address_key,
        type_id=type_id,
        is_primary=primary,
    )


def customer_addresses(
    customer: Customer, ctx: MappingContext, contact: ContactDraft
) -> tuple[list[AddressDraft], list[str]]:
    """Every relation the customer's address book calls for, and the warnings on the way.

    Default billing -> billing (primary); default shipping -> delivery (primary); any other
    address -> delivery, not primary (or left out, by the profile's ``other_addresses``).
    """
    warnings: list[str] = []
    drafts: list[AddressDraft] = []
    if not ctx.settings.customer.create_address:
        return drafts, warnings
    billing_id, shipping_id = customer.default_billing_id, customer.default_shipping_id
    for address in customer.addresses:
        if address.id is None:
            continue
        relations = []
        if address.id == billing_id or address.default_billing:
            relations.append((BILLING, True))
        if address.id == shipping_id or address.default_shipping:
            relations.append((DELIVERY, True))
        if not relations and ctx.settings.customer.other_addresses == "delivery":
            relations.append((DELIVERY, False))
        if not relations:
            continue
        draft = address_draft(address, str(address.id), ctx, contact, warnings)
        if draft is not None:
            drafts += [_with_relation(draft, t, p) for t, p in relations]
    return drafts, warnings


def order_address_key(address: OrderAddress) -> str:
    """Guests have no address book: an order address is known by its content."""
    content = [
        address.firstname,
        address.lastname,
        address.company,
        list(address.street),
        address.postcode,
        address.city,
        address.country_id,
    ]
    return "o" + fingerprint([str(c or "").strip().casefold() for c in content])[:15]


def guest_addresses(
    buyer: GuestBuyer, ctx: MappingContext, contact: ContactDraft
) -> tuple[list[AddressDraft], list[str]]:
    """The latest billing address as billing, each distinct shipping address as delivery."""
    warnings: list[str] = []
    drafts: list[AddressDraft] = []
    if not ctx.settings.customer.create_address:
        return drafts, warnings
    if buyer.billing_address is not None:
        key = order_address_key(buyer.billing_address)
        draft = address_draft(buyer.billing_address, key, ctx, contact, warnings)
        if draft is not None:
            drafts.append(_with_relation(draft, BILLING, True))
    seen: set[str] = set()
    for shipping in buyer.shipping_addresses:
        key = order_address_key(shipping)
        if key in seen:
            continue
        seen.add(key)
        draft = address_draft(shipping, key, ctx, contact, warnings)
        if draft is not None:
            first = not any(d.type_id == DELIVERY for d in drafts)
            drafts.append(_with_relation(draft, DELIVERY, first))
    return drafts, warnings
