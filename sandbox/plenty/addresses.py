"""Addresses, their options and their relations to contacts, with the ERP's de-duplication.

When a contact is given an address identical to one it already has (same names, street,
town, country ...; options and letter case do not count), the existing address is linked
again instead of a second one being created. Options posted with the duplicate are added
where the existing address has no option of that type; existing options are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty.countries import known_country_ids
from sandbox.plenty.protocol import invalid, not_found, option_items, parse_bool
from sandbox.plenty.state import AddressRow, Store

if TYPE_CHECKING:
    from sandbox.plenty.config import Modes

TEXT_FIELDS = (
    "gender", "name1", "name2", "name3", "name4", "address1", "address2", "address3",
    "address4", "postalCode", "town",
)  # fmt: skip
FIELD_ALIASES = {
    "companyName": "name1", "firstName": "name2", "lastName": "name3", "careOf": "name4",
    "street": "address1", "houseNumber": "address2", "additional": "address3",
}  # fmt: skip
OPTION_ALIASES = {
    "taxIdNumber": 1, "externalId": 2, "entryCertificate": 3, "phone": 4, "email": 5,
    "postident": 6, "personalNumber": 7, "fsk": 8, "birthday": 9, "sessionId": 10, "title": 11,
    "contactPerson": 12, "externalCustomerId": 13,
}  # fmt: skip
ADDRESS_GENDERS = frozenset({"male", "female", "diverse", "notToSay", ""})
RELATION_TYPES = range(1, 9)
MODEL = "Address\\Models\\Address"


def get_address(store: Store, address_id: int) -> AddressRow:
    row = store.addresses.get(address_id)
    if row is None:
        raise not_found(MODEL, address_id)
    return row


def render_address(store: Store, address_id: int) -> dict[str, Any]:
    """The address with its read-only aliases and options, as the API answers it."""
    row = store.addresses[address_id]
    body = dict(row.fields)
    for alias, field in FIELD_ALIASES.items():
        body[alias] = body.get(field) or ""
    by_type = {option["typeId"]: option["value"] for option in row.options}
    for alias, type_id in OPTION_ALIASES.items():
        body[alias] = by_type.get(type_id, "")
    # The official model types this alias as a boolean, unlike its option siblings.
    body["entryCertificate"] = bool(by_type.get(3))
    street = str(body.get("address1") or "").strip().upper()
    body["isPackstation"] = street == "PACKSTATION"
    body["isPostfiliale"] = street == "POSTFILIALE"
    body["packstationNo"] = body.get("address2") or "" if body["isPackstation"] else ""
    body["options"] = [dict(option) for option in row.options]
    return body


def clean_address(
    modes: Modes, payload: dict[str, Any], *, partial: bool
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """Writable fields and options of an address payload; 422 when they are unusable."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in payload:
            fields[name] = "" if payload[name] is None else str(payload[name])
    for name in ("countryId", "stateId"):
        if name in payload and payload[name] not in (None, ""):
            try:
                fields[name] = int(payload[name])
            except (TypeError, ValueError):
                errors[name] = [f"The {name} must be an integer."]
        elif name in payload:
            fields[name] = None
    if not partial:
        if not fields.get("town"):
            errors.setdefault("town", ["The town field is required."])
        if fields.get("countryId") is None:
            errors.setdefault("countryId", ["The country id field is required."])
    if modes.strict_validation:
        if "countryId" in fields and fields["countryId"] not in (None, *known_country_ids()):
            errors.setdefault("countryId", ["The selected country id is invalid."])
        if fields.get("gender") not in (None, *ADDRESS_GENDERS):
            errors["gender"] = ["The selected gender is invalid."]
    options = (
        clean_address_options(payload.get("options"), errors) if "options" in payload else None
    )
    if errors:
        raise invalid(errors)
    return fields, options


def clean_address_options(raw: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    options = []
    for index, item in option_items(raw, errors):
        type_id = item.get("typeId")
        if not isinstance(type_id, int) or type_id not in OPTION_ALIASES.values():
            errors[f"options.{index}.typeId"] = ["The selected type id is invalid."]
            continue
        position = item.get("position", 0)
        options.append(
            {"typeId": type_id, "value": "" if item.get("value") is None else str(item["value"]),
             "position": position if isinstance(position, int) else 0}
        )  # fmt: skip
    return options


def new_address(store: Store, fields: dict[str, Any], options: list[dict[str, Any]]) -> int:
    """Store a new, unlinked address and return its id."""
    now = store.now()
    address_id = store.next_id("address")
    record: dict[str, Any] = {"id": address_id, **{name: "" for name in TEXT_FIELDS}}
    record.update(countryId=None, stateId=None, readOnly=False, checkedAt=None)
    record.update(fields, createdAt=now, updatedAt=now)
    store.addresses[address_id] = AddressRow(fields=record)
    set_address_options(store, address_id, options, replace=True)
    return address_id


def add_to_contact(
    store: Store,
    contact_id: int,
    fields: dict[str, Any],
    options: list[dict[str, Any]],
    type_id: int,
    is_primary: bool,
) -> int:
    """Create and link an address, or re-link the contact's identical one; returns its id."""
    key = identity(fields)
    for relation in store.contact_relations(contact_id):
        if identity(store.addresses[relation["addressId"]].fields) == key:
            address_id = int(relation["addressId"])
            have = {option["typeId"] for option in store.addresses[address_id].options}
            missing = [option for option in options if option["typeId"] not in have]
            set_address_options(store, address_id, missing, replace=False)
            break
    else:
        address_id = new_address(store, fields, options)
    link(store, contact_id, address_id, type_id, is_primary)
    return address_id


def link(
    store: Store, contact_id: int, address_id: int, type_id: int, is_primary: bool
) -> dict[str, Any]:
    """Relate an address to a contact as ``type_id``; one primary per contact and type."""
    if type_id not in RELATION_TYPES:
        raise invalid({"typeId": ["The selected type id is invalid."]})
    existing = next(
        (r for r in store.contact_relations(contact_id)
         if r["addressId"] == address_id and r["typeId"] == type_id),
        None,
    )  # fmt: skip
    if existing is None:
        existing = {
            "id": store.next_id("address_relation"),
            "contactId": contact_id,
            "addressId": address_id,
            "typeId": type_id,
            "isPrimary": False,
        }
        store.add_relation(existing)
    if is_primary:
        set_primary(store, existing)
    return existing


def set_primary(store: Store, relation: dict[str, Any]) -> None:
    for other in store.contact_relations(relation["contactId"]):
        if other["typeId"] == relation["typeId"]:
            other["isPrimary"] = other is relation


def update_for_contact(
    store: Store,
    contact_id: int,
    address_id: int,
    fields: dict[str, Any],
    options: list[dict[str, Any]] | None,
    type_id: int | None,
) -> int:
    """Change a contact's address; an address shared by several relations is split first.

    Splitting keeps the other relations on the old address, so editing the delivery copy
    of an address that was also the billing one leaves the billing address as it was.
    """
    relations = [r for r in store.address_relations.values() if r["addressId"] == address_id]
    if type_id is not None and len(relations) > 1:
        mine = [r for r in relations if r["contactId"] == contact_id and r["typeId"] == type_id]
        if mine:
            row = store.addresses[address_id]
            merged = {name: row.fields.get(name) for name in (*TEXT_FIELDS, "countryId", "stateId")}
            merged.update(fields)
            keep = [{k: o[k] for k in ("typeId", "value", "position")} for o in row.options]
            new_id = new_address(store, merged, keep)
            if options is not None:
                set_address_options(store, new_id, options, replace=False)
            for relation in mine:
                relation["addressId"] = new_id
            return new_id
    row = store.addresses[address_id]
    row.fields.update(fields)
    row.fields["updatedAt"] = store.now()
    if options is not None:
        set_address_options(store, address_id, options, replace=False)
    return address_id


def set_address_options(
    store: Store, address_id: int, options: list[dict[str, Any]], *, replace: bool
) -> list[dict[str, Any]]:
    """Add options, updating the one of the same type where it exists."""
    row = store.addresses[address_id]
    now = store.now()
    if replace:
        for option in row.options:
            store.address_option_owner.pop(option["id"], None)
        row.options = []
    touched = []
    for incoming in options:
        current = next((o for o in row.options if o["typeId"] == incoming["typeId"]), None)
        if current is not None:
            current.update(value=incoming["value"], position=incoming["position"], updatedAt=now)
            touched.append(current)
            continue
        option_id = store.next_id("address_option")
        option = {"id": option_id, "addressId": address_id, **incoming, "createdAt": now,
                  "updatedAt": now}  # fmt: skip
        row.options.append(option)
        store.address_option_owner[option_id] = address_id
        touched.append(option)
    return touched


def identity(fields: dict[str, Any]) -> tuple[object, ...]:
    """What makes two addresses "the same" for the ERP's duplicate check."""
    text = tuple(" ".join(str(fields.get(name) or "").split()).casefold() for name in TEXT_FIELDS)
    return (*text, fields.get("countryId"), fields.get("stateId"))


def relation_flags(call_query: Any, payload: dict[str, Any]) -> tuple[int | None, bool]:
    """``typeId`` and ``isPrimary`` from the query string, else from the JSON body."""
    raw_type = call_query.get("typeId") or payload.get("typeId")
    raw_primary = call_query.get("isPrimary")
    if raw_primary in (None, ""):
        raw_primary = payload.get("isPrimary", False)
    try:
        type_id = int(raw_type) if raw_type not in (None, "") else None
    except (TypeError, ValueError):
        raise invalid({"typeId": ["The type id must be an integer."]}) from None
    return type_id, parse_bool(raw_primary)
