"""``/rest/accounts/contacts``: list with filters, create, read, update, delete, guests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty import contacts
from sandbox.plenty.contacts import get_row
from sandbox.plenty.filters import contact_filters
from sandbox.plenty.protocol import ApiError, Call, invalid, page_window, paginated
from sandbox.plenty.router import NO_CONTENT, Endpoint

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator


def list_contacts(emulator: Emulator, call: Call) -> dict[str, Any]:
    modes = emulator.config.modes
    page, per_page = page_window(call, modes.items_per_page_default, modes.items_per_page_max)
    store = emulator.store
    predicates = contact_filters(store, modes, call)
    rows = [
        row
        for _, row in sorted(store.contacts.items())
        if all(predicate(row) for predicate in predicates)
    ]
    result = paginated(rows, page, per_page)
    relations = call.with_relations()
    result["entries"] = [contacts.render_contact(store, r, relations) for r in result["entries"]]
    return result


def create_contact(emulator: Emulator, call: Call) -> dict[str, Any]:
    row = contacts.create_contact(emulator.store, emulator.config.modes, call.body_dict())
    return contacts.render_contact(emulator.store, row, set())


def get_contact(emulator: Emulator, call: Call) -> dict[str, Any]:
    row = get_row(emulator.store, call.path_int("contactId"))
    return contacts.render_contact(emulator.store, row, call.with_relations())


def update_contact(emulator: Emulator, call: Call) -> dict[str, Any]:
    row = get_row(emulator.store, call.path_int("contactId"))
    contacts.update_contact(emulator.store, emulator.config.modes, row, call.body_dict())
    return contacts.render_contact(emulator.store, row, set())


def delete_contact(emulator: Emulator, call: Call) -> object:
    contact_id = call.path_int("contactId")
    get_row(emulator.store, contact_id)
    if call.query_bool("checkExistingOrders") and emulator.store.orders.get(contact_id, 0) > 0:
        raise ApiError(
            400,
            "The contact has orders and was not deleted.",
            extra={"exception": "CustomerDeleteException"},
        )
    emulator.store.delete_contact(contact_id)
    return NO_CONTENT


def convert_guest(emulator: Emulator, call: Call) -> dict[str, Any]:
    """Turn a guest (single-access) contact into a regular customer."""
    contact_id = call.query_int("contactId")
    if contact_id is None:
        raise invalid({"contactId": ["The contact id field is required."]})
    row = get_row(emulator.store, contact_id)
    if not contacts.is_guest(row):
        raise ApiError(400, "The contact is not a guest.")
    contacts.update_contact(emulator.store, emulator.config.modes, row, {"singleAccess": False})
    return contacts.render_contact(emulator.store, row, set())


ENDPOINTS = [
    Endpoint("GET", "/rest/accounts/contacts", list_contacts),
    Endpoint("POST", "/rest/accounts/contacts", create_contact),
    Endpoint("GET", "/rest/accounts/contacts/{contactId}", get_contact),
    Endpoint("PUT", "/rest/accounts/contacts/{contactId}", update_contact),
    Endpoint("DELETE", "/rest/accounts/contacts/{contactId}", delete_contact),
    Endpoint("POST", "/rest/accounts/guests/convert", convert_guest),
]
