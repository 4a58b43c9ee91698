"""Accounts (companies) and the relations that tie contacts to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty.contacts import get_row, render_contact
from sandbox.plenty.protocol import Call, invalid, not_found, page_window, paginated, parse_bool
from sandbox.plenty.router import NO_CONTENT, Endpoint
from sandbox.plenty.state import Store

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

ACCOUNT_MODEL = "Account\\Models\\Account"
RELATION_MODEL = "Account\\Models\\AccountContactRelation"
TEXT = ("number", "companyName", "taxIdNumber", "supplierCurrency", "externalId")
INTEGERS = (
    "valuta", "discountDays", "timeForPaymentAllowedDays", "salesRepresentativeContactId",
    "userId", "deliveryTime",
)  # fmt: skip
NUMBERS = ("discountPercent", "dealerMinOrderValue")


def _get_account(store: Store, account_id: int) -> dict[str, Any]:
    account = store.accounts.get(account_id)
    if account is None:
        raise not_found(ACCOUNT_MODEL, account_id)
    return account


def _clean(payload: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    for name in TEXT:
        if name in payload:
            fields[name] = None if payload[name] is None else str(payload[name])
    for names, kind in ((INTEGERS, int), (NUMBERS, float)):
        for name in names:
            if name in payload and payload[name] not in (None, ""):
                try:
                    fields[name] = kind(payload[name])
                except (TypeError, ValueError):
                    errors[name] = [f"The {name} must be a number."]
    if not partial and not fields.get("companyName"):
        errors["companyName"] = ["The company name field is required."]
    if errors:
        raise invalid(errors)
    return fields


def _new_account(store: Store, payload: dict[str, Any]) -> dict[str, Any]:
    fields = _clean(payload, partial=False)
    now = store.now()
    account: dict[str, Any] = {"id": store.next_id("account"), "number": None, "taxIdNumber": ""}
    account.update({name: 0 for name in ("valuta", "discountDays", "timeForPaymentAllowedDays")})
    account.update(discountPercent=0.0, userId=1, externalId=None)
    account.update(fields, createdAt=now, updatedAt=now)
    store.accounts[account["id"]] = account
    return account


def _relate(store: Store, contact_id: int, account_id: int) -> dict[str, Any]:
    for relation in store.account_relations.values():
        if (relation["contactId"], relation["accountId"]) == (contact_id, account_id):
            return relation
    relation = {
        "id": store.next_id("account_relation"),
        "accountId": account_id,
        "contactId": contact_id,
        "isPrimary": 0,
    }
    store.account_relations[relation["id"]] = relation
    return relation


def list_accounts(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    """All accounts, filtered by ``id`` and ``companyName`` (``eq:`` or ``like:``)."""
    wanted_id = call.first("id")
    name = call.first("companyName")
    found = []
    for _, account in sorted(emulator.store.accounts.items()):
        if wanted_id is not None and str(account["id"]) != wanted_id.removeprefix("eq:"):
            continue
        if name is not None and not _text_matches(account.get("companyName") or "", name):
            continue
        found.append(dict(account))
    return found


def _text_matches(value: str, condition: str) -> bool:
    operator, _, operand = condition.partition(":")
    if operand and operator == "like":
        return operand.lower() in value.lower()
    if operand and operator == "eq":
        return value == operand
    return value == condition


def create_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_new_account(emulator.store, call.body_dict()))


def get_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_get_account(emulator.store, call.path_int("accountId")))


def update_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    account = _get_account(emulator.store, call.path_int("accountId"))
    account.update(_clean(call.body_dict(), partial=True), updatedAt=emulator.store.now())
    return dict(account)


def delete_account(emulator: Emulator, call: Call) -> object:
    store = emulator.store
    account_id = call.path_int("accountId")
    _get_account(store, account_id)
    del store.accounts[account_id]
    for relation_id, relation in list(store.account_relations.items()):
        if relation["accountId"] == account_id:
            del store.account_relations[relation_id]
    return NO_CONTENT


def account_contacts(emulator: Emulator, call: Call) -> Any:
    """An account's contacts as a plain array, each with its relation as ``pivot``."""
    store = emulator.store
    account_id = call.path_int("accountId")
    _get_account(store, account_id)
    entries = []
    for relation in store.account_relations.values():
        if relation["accountId"] == account_id and relation["contactId"] in store.contacts:
            contact = render_contact(store, store.contacts[relation["contactId"]], set())
            contact["pivot"] = {
                "accountId": str(account_id),
                "contactId": str(relation["contactId"]),
                "id": relation["id"],
            }
            entries.append(contact)
    if call.first("page", "itemsPerPage") is None:
        return entries
    modes = emulator.config.modes
    page, per_page = page_window(call, modes.items_per_page_default, modes.items_per_page_max)
    return paginated(entries, page, per_page)


def relate(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    account_id, contact_id = call.query_int("accountId"), call.query_int("contactId")
    if account_id is None or contact_id is None:
        raise invalid({"accountId": ["The account id and contact id fields are required."]})
    _get_account(store, account_id)
    get_row(store, contact_id)
    return dict(_relate(store, contact_id, account_id))


def _relation(store: Store, relation_id: int) -> dict[str, Any]:
    relation = store.account_relations.get(relation_id)
    if relation is None:
        raise not_found(RELATION_MODEL, relation_id)
    return relation


def get_relation(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_relation(emulator.store, call.path_int("accountContactRelationId")))


def delete_relation(emulator: Emulator, call: Call) -> object:
    relation = _relation(emulator.store, call.path_int("accountContactRelationId"))
    del emulator.store.account_relations[relation["id"]]
    return NO_CONTENT


def make_primary(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    relation = _relation(store, call.path_int("accountContactRelationId"))
    primary = call.query_bool("isPrimary")
    relation["isPrimary"] = 1 if primary is None or primary else 0
    if relation["isPrimary"]:
        for other in store.account_relations.values():
            if other["contactId"] == relation["contactId"] and other is not relation:
                other["isPrimary"] = 0
    return dict(relation)


def create_for_contact(emulator: Emulator, call: Call) -> dict[str, Any]:
    """Create a company and link the contact to it in one call."""
    store = emulator.store
    contact_id = call.path_int("contactId")
    get_row(store, contact_id)
    account = _new_account(store, call.body_dict())
    relation = _relate(store, contact_id, account["id"])
    if parse_bool(call.body_dict().get("isPrimary", False)):
        relation["isPrimary"] = 1
    return dict(account)


def _contact_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    contact_id, account_id = call.path_int("contactId"), call.path_int("accountId")
    get_row(store, contact_id)
    account = _get_account(store, account_id)
    if not any(
        (r["contactId"], r["accountId"]) == (contact_id, account_id)
        for r in store.account_relations.values()
    ):
        raise not_found(RELATION_MODEL, account_id)
    return account


def get_contact_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_contact_account(emulator, call))


def update_contact_account(emulator: Emulator, call: Call) -> dict[str, Any]:
    account = _contact_account(emulator, call)
    account.update(_clean(call.body_dict(), partial=True), updatedAt=emulator.store.now())
    return dict(account)


def unlink_contact_account(emulator: Emulator, call: Call) -> object:
    account = _contact_account(emulator, call)
    contact_id = call.path_int("contactId")
    store = emulator.store
    for relation_id, relation in list(store.account_relations.items()):
        if (relation["contactId"], relation["accountId"]) == (contact_id, account["id"]):
            del store.account_relations[relation_id]
    return NO_CONTENT


_REL = "/rest/accounts/contact_relations"
_MINE = "/rest/accounts/contacts/{contactId}/accounts"
ENDPOINTS = [
    Endpoint("GET", "/rest/accounts", list_accounts),
    Endpoint("POST", "/rest/accounts", create_account),
    Endpoint("GET", "/rest/accounts/{accountId}", get_account),
    Endpoint("PUT", "/rest/accounts/{accountId}", update_account),
    Endpoint("DELETE", "/rest/accounts/{accountId}", delete_account),
    Endpoint("GET", "/rest/accounts/{accountId}/contacts", account_contacts),
    Endpoint("POST", _REL, relate),
    Endpoint("GET", _REL + "/{accountContactRelationId}", get_relation),
    Endpoint("DELETE", _REL + "/{accountContactRelationId}", delete_relation),
    Endpoint("PUT", _REL + "/{accountContactRelationId}/primary", make_primary),
    Endpoint("POST", _MINE, create_for_contact),
    Endpoint("GET", _MINE + "/{accountId}", get_contact_account),
    Endpoint("PUT", _MINE + "/{accountId}", update_contact_account),
    Endpoint("DELETE", _MINE + "/{accountId}", unlink_contact_account),
]
