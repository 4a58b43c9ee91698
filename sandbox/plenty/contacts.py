"""Contacts as the ERP keeps them: fields, options, read-only aliases, validation on write."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sandbox.plenty.protocol import ApiError, invalid, not_found, option_items, parse_bool
from sandbox.plenty.state import ContactRow, Store

if TYPE_CHECKING:
    from sandbox.plenty.config import Modes

# Read-only convenience keys backed by an option (type id, sub-type id). E-mail 2/4 and
# phone 1/4 are documented; the other pairs follow the option type and sub-type names.
OPTION_ALIASES: dict[str, tuple[int, int]] = {
    "email": (2, 4),
    "secondaryEmail": (2, 1),
    "privatePhone": (1, 4),
    "privateMobile": (1, 2),
    "privateFax": (3, 4),
    "ebayName": (5, 6),
    "paypalEmail": (2, 5),
    "paypalPayerId": (6, 5),
    "klarnaPersonalId": (6, 8),
    "dhlPostIdent": (6, 9),
    "forumUsername": (8, 10),
    "forumGroupId": (9, 10),
    "singleAccess": (10, 11),
    "contactPerson": (11, 12),
    "marketplacePartner": (11, 13),
}
EMAIL = OPTION_ALIASES["email"]
GUEST = OPTION_ALIASES["singleAccess"]

STRING_FIELDS = (
    "externalId", "number", "firstName", "lastName", "gender", "title", "formOfAddress",
    "bookAccount", "lang", "leadStatusKey",
)  # fmt: skip
INT_FIELDS = (
    "typeId", "classId", "blocked", "rating", "plentyId", "userId", "valuta", "discountDays",
    "timeForPaymentAllowedDays", "salesRepresentativeContactId",
)  # fmt: skip
FLOAT_FIELDS = ("referrerId", "discountPercent")
DATE_FIELDS = ("birthdayAt", "newsletterAllowanceAt", "lastLoginAt", "lastOrderAt")
GENDERS = frozenset({"male", "female", "diverse"})
OPTION_TYPES = range(1, 14)
OPTION_SUB_TYPES = range(1, 16)


def get_row(store: Store, contact_id: int) -> ContactRow:
    row = store.contacts.get(contact_id)
    if row is None:
        raise not_found("Contact\\Models\\Contact", contact_id)
    return row


def option_value(row: ContactRow, pair: tuple[int, int]) -> str:
    for option in row.options:
        if (option["typeId"], option["subTypeId"]) == pair:
            return str(option["value"])
    return ""


def is_guest(row: ContactRow) -> bool:
    return option_value(row, GUEST) == "1"


def render_contact(store: Store, row: ContactRow, relations: set[str]) -> dict[str, Any]:
    """The contact as the API answers it: fields, aliases from options, asked-for relations."""
    # Imported here: addresses embed contacts' relations and contacts embed addresses.
    from sandbox.plenty.addresses import render_address

    body = dict(row.fields)
    first, last = body.get("firstName") or "", body.get("lastName") or ""
    body["fullName"] = f"{first} {last}".strip()
    for alias, pair in OPTION_ALIASES.items():
        body[alias] = option_value(row, pair)
    body["options"] = [dict(option) for option in row.options]
    if "addresses" in relations:
        body["addresses"] = [
            {**render_address(store, relation["addressId"]), "pivot": _pivot(relation)}
            for relation in store.contact_relations(row.fields["id"])
        ]
    if "accounts" in relations:
        body["accounts"] = [
            {**store.accounts[rel["accountId"]], "pivot": {
                "id": rel["id"], "accountId": rel["accountId"], "contactId": rel["contactId"],
            }}
            for rel in store.account_relations.values()
            if rel["contactId"] == row.fields["id"] and rel["accountId"] in store.accounts
        ]  # fmt: skip
    return body


def _pivot(relation: dict[str, Any]) -> dict[str, Any]:
    return {key: relation[key] for key in ("contactId", "addressId", "typeId", "isPrimary")}


def _validated(
    store: Store, modes: Modes, payload: dict[str, Any], errors: dict[str, list[str]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The payload's fields and options, or a 422 naming every field in ``errors``."""
    fields = _clean_fields(store, modes, payload, errors)
    options = _clean_options(payload.get("options", []), errors)
    options += _alias_options(modes, payload, errors)
    _refuse_duplicate_pairs(options, errors)
    if errors:
        raise invalid(errors)
    return fields, options


def create_contact(store: Store, modes: Modes, payload: dict[str, Any]) -> ContactRow:
    """Validate ``payload`` and store it as a new contact."""
    errors: dict[str, list[str]] = {}
    for required in ("typeId", "referrerId"):
        if payload.get(required) in (None, ""):
            label = "type id" if required == "typeId" else "referrer id"
            errors[required] = [f"The {label} field is required."]
    fields, options = _validated(store, modes, payload, errors)
    if modes.honour_check_for_existing_email and parse_bool(
        payload.get("checkForExistingEmail", False)
    ):
        email = next((o["value"] for o in options if (o["typeId"], o["subTypeId"]) == EMAIL), "")
        if email and _email_taken(store, email):
            raise ApiError(400, "A contact with this email address already exists.")
    now = store.now()
    contact_id = store.next_id("contact")
    record: dict[str, Any] = {"id": contact_id}
    record.update({name: "" for name in STRING_FIELDS})
    record.update({name: None for name in (*INT_FIELDS, *FLOAT_FIELDS, *DATE_FIELDS)})
    record.update(
        blocked=0,
        rating=0,
        userId=1,
        lang="de",
        plentyId=min(store.plenty_ids(), default=0),
        lastLoginAtTimestamp=None,
        anonymizeAt=None,
        isLead=False,
        inLeadStatusSince=0,
        createdAt=now,
        updatedAt=now,
    )
    record.update(fields)
    row = ContactRow(fields=record)
    _set_options(store, row, options, replace=True, now=now)
    store.contacts[contact_id] = row
    return row


def update_contact(store: Store, modes: Modes, row: ContactRow, payload: dict[str, Any]) -> None:
    """Apply a partial update; options replace or merge as ``modes.options_on_put`` says."""
    fields, options = _validated(store, modes, payload, {})
    now = store.now()
    row.fields.update(fields)
    if "options" in payload or options:
        _set_options(
            store, row, options, replace=modes.options_on_put == "replace" and "options" in payload,
            now=now,
        )  # fmt: skip
    row.fields["updatedAt"] = now


def _clean_fields(
    store: Store, modes: Modes, payload: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in STRING_FIELDS:
        if name in payload:
            value = payload[name]
            fields[name] = "" if value is None else str(value)
    for name in INT_FIELDS:
        if name in payload and payload[name] not in (None, ""):
            fields[name] = _number(name, payload[name], int, errors)
    for name in FLOAT_FIELDS:
        if name in payload and payload[name] not in (None, ""):
            fields[name] = _number(name, payload[name], float, errors)
    for name in DATE_FIELDS:
        if name in payload:
            fields[name] = _timestamp(store, name, payload[name], errors)
    if modes.strict_validation:
        _check_reference(store, fields, errors)
    return fields


def _check_reference(store: Store, fields: dict[str, Any], errors: dict[str, list[str]]) -> None:
    checks: list[tuple[str, bool]] = [
        ("typeId", fields.get("typeId") in store.contact_types),
        ("classId", fields.get("classId") in store.contact_classes),
        ("referrerId", fields.get("referrerId") in store.referrers),
        ("plentyId", fields.get("plentyId") in store.plenty_ids()),
        ("lang", fields.get("lang") in store.languages),
        ("gender", fields.get("gender") in GENDERS),
    ]
    for name, known in checks:
        value = fields.get(name)
        if value not in (None, "") and not known and name not in errors:
            errors[name] = [f"The selected {_label(name)} is invalid."]


def _clean_options(raw: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    options = []
    for index, item in option_items(raw, errors):
        type_id = _number(f"options.{index}.typeId", item.get("typeId"), int, errors)
        sub_type_id = _number(f"options.{index}.subTypeId", item.get("subTypeId"), int, errors)
        if type_id is not None and type_id not in OPTION_TYPES:
            errors[f"options.{index}.typeId"] = ["The selected type id is invalid."]
        if sub_type_id is not None and sub_type_id not in OPTION_SUB_TYPES:
            errors[f"options.{index}.subTypeId"] = ["The selected sub type id is invalid."]
        value = item.get("value")
        if value is None:
            errors[f"options.{index}.value"] = ["The value field is required."]
            continue
        priority = item.get("priority", 0)
        options.append(
            {"typeId": type_id, "subTypeId": sub_type_id, "value": str(value),
             "priority": priority if isinstance(priority, int) else 0}
        )  # fmt: skip
    return options


def _alias_options(
    modes: Modes, payload: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Options written through top-level keys: ``singleAccess`` always, ``email`` if allowed."""
    options = []
    if "singleAccess" in payload:
        flag = "1" if parse_bool(payload["singleAccess"]) else ""
        options.append({"typeId": GUEST[0], "subTypeId": GUEST[1], "value": flag, "priority": 0})
    if modes.email_writable and payload.get("email") not in (None,):
        email = str(payload["email"])
        options.append({"typeId": EMAIL[0], "subTypeId": EMAIL[1], "value": email, "priority": 0})
    return options


def _refuse_duplicate_pairs(options: list[dict[str, Any]], errors: dict[str, list[str]]) -> None:
    seen: set[tuple[int, int]] = set()
    for index, option in enumerate(options):
        pair = (option["typeId"], option["subTypeId"])
        if pair in seen:
            errors[f"options.{index}.subTypeId"] = [
                "The combination of type id and sub type id has already been taken."
            ]
        seen.add(pair)


def _set_options(
    store: Store, row: ContactRow, options: list[dict[str, Any]], *, replace: bool, now: str
) -> None:
    contact_id = row.fields["id"]
    if replace:
        for option in row.options:
            store.contact_option_owner.pop(option["id"], None)
        row.options = []
    for incoming in options:
        pair = (incoming["typeId"], incoming["subTypeId"])
        current = next((o for o in row.options if (o["typeId"], o["subTypeId"]) == pair), None)
        if incoming["value"] == "" and pair == GUEST:
            # Clearing the guest flag removes the option rather than storing an empty one.
            if current is not None:
                row.options.remove(current)
                store.contact_option_owner.pop(current["id"], None)
            continue
        if current is not None:
            current.update(value=incoming["value"], priority=incoming["priority"], updatedAt=now)
            continue
        option_id = store.next_id("contact_option")
        row.options.append(
            {"id": option_id, "contactId": contact_id, **incoming, "createdAt": now,
             "updatedAt": now}
        )  # fmt: skip
        store.contact_option_owner[option_id] = contact_id


def _email_taken(store: Store, email: str) -> bool:
    wanted = email.strip().lower()
    return any(
        option_value(row, EMAIL).strip().lower() == wanted for row in store.contacts.values()
    )


def _number(name: str, value: Any, kind: type, errors: dict[str, list[str]]) -> Any:
    if isinstance(value, bool):
        value = int(value)
    try:
        number = kind(value)
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ValueError
        return number
    except (TypeError, ValueError):
        wording = "an integer" if kind is int else "a number"
        errors[name] = [f"The {_label(name)} must be {wording}."]
        return None


def _timestamp(store: Store, name: str, value: Any, errors: dict[str, list[str]]) -> str | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        errors[name] = [f"The {_label(name)} is not a valid date."]
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.fromisoformat(store.now()).tzinfo)
    return parsed.isoformat(timespec="seconds")


def _label(name: str) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name.split(".")[-1])
    return words.strip()


def timestamp_of(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def on_or_after(value: str | None, bound: datetime | date) -> bool:
    moment = timestamp_of(value)
    if moment is None:
        return False
    if isinstance(bound, datetime):
        return moment >= (bound if bound.tzinfo else bound.replace(tzinfo=moment.tzinfo))
    return moment.date() >= bound


def on_or_before(value: str | None, bound: datetime | date) -> bool:
    moment = timestamp_of(value)
    if moment is None:
        return False
    if isinstance(bound, datetime):
        return moment <= (bound if bound.tzinfo else bound.replace(tzinfo=moment.tzinfo))
    return moment.date() <= bound
