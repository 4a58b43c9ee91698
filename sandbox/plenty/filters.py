"""The query filters of ``GET /rest/accounts/contacts``, each turned into a predicate.

Matching: ``email`` exact and case-insensitive over the contact's e-mail options;
``contactEmail``, ``name``, ``nameOrId``, ``fullText``, ``town``, ``postalCode``,
``contactAddress`` substring and case-insensitive; ids, ``externalId`` and ``number`` exact;
``*After``/``*Before`` inclusive, a bare date compared by day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sandbox.plenty.config import Modes
from sandbox.plenty.contacts import EMAIL, on_or_after, on_or_before, option_value
from sandbox.plenty.protocol import Call, invalid, parse_bool, parse_filter_date
from sandbox.plenty.state import ContactRow, Store

Predicate = Callable[[ContactRow], bool]

_DATE_FIELDS = {
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
    "lastOrderAt": "lastOrderAt",
    "newsletterAllowance": "newsletterAllowanceAt",
}
_ID_FIELDS = {"contactId": "id", "plentyId": "plentyId", "typeId": "typeId", "rating": "rating",
              "userId": "userId", "classId": "classId"}  # fmt: skip


def contact_filters(store: Store, modes: Modes, call: Call) -> list[Predicate]:
    """Predicates for every filter present in the query string."""
    found: list[Predicate] = []
    for name in ("externalId", "number"):
        value = call.first(name)
        if value is None:
            continue
        # The official spec types these two as integers; the switch shows what that means.
        if modes.external_id_filter == "integer" and not value.strip().lstrip("-").isdigit():
            raise invalid({name: [f"The {name} must be an integer."]})
        found.append(_text_equals(name, value))
    for name, key in _ID_FIELDS.items():
        number = call.query_int(name)
        if number is not None:
            found.append(_field_equals(key, number))
    referrer = call.first("referrerId")
    if referrer is not None:
        found.append(_field_equals("referrerId", _float("referrerId", referrer)))
    email = call.first("email")
    if email is not None:
        found.append(_email_matches(email.strip().lower(), exact=True))
    fuzzy = call.first("contactEmail")
    if fuzzy is not None:
        found.append(_email_matches(fuzzy.strip().lower(), exact=False))
    phone = call.first("privatePhone")
    if phone is not None:
        found.append(_searched(phone, lambda row: option_value(row, (1, 4))))
    person = call.first("name")
    if person is not None:
        found.append(_searched(person, _full_name))
    name_or_id = call.first("nameOrId")
    if name_or_id is not None:
        found.append(_name_or_id(name_or_id))
    full_text = call.first("fullText")
    if full_text is not None:
        found.append(_searched(full_text, _searchable))
    allowance = call.first("newsletterAllowance")
    if allowance is not None:
        found.append(_has_value("newsletterAllowanceAt", parse_bool(allowance)))
    return found + _date_filters(call) + _address_filters(store, call)


def _date_filters(call: Call) -> list[Predicate]:
    found: list[Predicate] = []
    for prefix, field in _DATE_FIELDS.items():
        after, before = call.first(f"{prefix}After"), call.first(f"{prefix}Before")
        if after is not None:
            found.append(_dated(field, parse_filter_date(f"{prefix}After", after), after=True))
        if before is not None:
            found.append(_dated(field, parse_filter_date(f"{prefix}Before", before), after=False))
    return found


def _address_filters(store: Store, call: Call) -> list[Predicate]:
    def addresses_of(row: ContactRow, type_id: int | None = None) -> list[dict[str, Any]]:
        return [
            store.addresses[relation["addressId"]].fields
            for relation in store.contact_relations(row.fields["id"])
            if type_id is None or relation["typeId"] == type_id
        ]

    def any_address(
        test: Callable[[dict[str, Any]], bool], type_id: int | None = None
    ) -> Predicate:
        return lambda row: any(test(address) for address in addresses_of(row, type_id))

    found: list[Predicate] = []
    for name in ("postalCode", "town"):
        value = call.first(name)
        if value is not None:
            found.append(any_address(_contains(name, value)))
    street = call.first("contactAddress")
    if street is not None:
        wanted = street.lower()
        found.append(any_address(lambda a: wanted in f"{a['address1']} {a['address2']}".lower()))
    country = call.query_int("countryId")
    if country is not None:
        found.append(any_address(lambda a: a["countryId"] == country))
    for name, type_id in (("billingAddressId", 1), ("deliveryAddressId", 2)):
        address_id = call.query_int(name)
        if address_id is not None:
            found.append(any_address(_id_is(address_id), type_id))
    return found


def _text_equals(field: str, value: str) -> Predicate:
    return lambda row: str(row.fields.get(field) or "") == value


def _field_equals(field: str, value: object) -> Predicate:
    return lambda row: row.fields.get(field) == value


def _has_value(field: str, wanted: bool) -> Predicate:
    return lambda row: bool(row.fields.get(field)) == wanted


def _searched(needle: str, haystack: Callable[[ContactRow], str]) -> Predicate:
    lowered = needle.lower()
    return lambda row: lowered in haystack(row).lower()


def _name_or_id(value: str) -> Predicate:
    lowered = value.lower()
    return lambda row: lowered == str(row.fields["id"]) or lowered in _full_name(row).lower()


def _email_matches(wanted: str, *, exact: bool) -> Predicate:
    def matches(row: ContactRow) -> bool:
        for option in row.options:
            if option["typeId"] != EMAIL[0]:
                continue
            value = option["value"].strip().lower()
            if value == wanted or (not exact and wanted in value):
                return True
        return False

    return matches


def _dated(field: str, bound: datetime | date, *, after: bool) -> Predicate:
    compare = on_or_after if after else on_or_before
    return lambda row: compare(row.fields.get(field), bound)


def _contains(field: str, value: str) -> Callable[[dict[str, Any]], bool]:
    lowered = value.lower()
    return lambda address: lowered in str(address.get(field) or "").lower()


def _id_is(address_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda address: address["id"] == address_id


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise invalid({name: [f"The {name} must be a number."]}) from None


def _full_name(row: ContactRow) -> str:
    return f"{row.fields.get('firstName') or ''} {row.fields.get('lastName') or ''}"


def _searchable(row: ContactRow) -> str:
    parts = [_full_name(row), str(row.fields.get("number") or ""), str(row.fields["id"])]
    parts += [option["value"] for option in row.options]
    return " ".join(parts)
