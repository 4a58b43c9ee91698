"""A contact's options (e-mail, phones, guest flag ...) through their own routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty import contacts
from sandbox.plenty.contacts import get_row
from sandbox.plenty.protocol import Call, invalid, not_found
from sandbox.plenty.router import NO_CONTENT, Endpoint

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

MODEL = "Contact\\Models\\ContactOption"


def list_options(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    row = get_row(emulator.store, call.path_int("contactId"))
    type_id, sub_type_id = call.query_int("typeId"), call.query_int("subTypeId")
    return [
        dict(option)
        for option in row.options
        if (type_id is None or option["typeId"] == type_id)
        and (sub_type_id is None or option["subTypeId"] == sub_type_id)
    ]


def add_options(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    """Add options; one whose type and sub-type the contact already has is a 422."""
    store = emulator.store
    row = get_row(store, call.path_int("contactId"))
    raw = call.body if isinstance(call.body, list) else [call.body_dict()]
    have = {(o["typeId"], o["subTypeId"]) for o in row.options}
    for index, item in enumerate(raw):
        if isinstance(item, dict) and (item.get("typeId"), item.get("subTypeId")) in have:
            raise invalid({f"{index}.subTypeId": ["This type and sub type already exist."]})
    return _write(emulator, call, row, raw)


def replace_options(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    """Update options, matched by type and sub-type; unmatched ones are added."""
    row = get_row(emulator.store, call.path_int("contactId"))
    raw = call.body if isinstance(call.body, list) else [call.body_dict()]
    return _write(emulator, call, row, raw)


def _write(
    emulator: Emulator, call: Call, row: contacts.ContactRow, raw: list[Any]
) -> list[dict[str, Any]]:
    modes = emulator.config.modes.model_copy(update={"options_on_put": "merge"})
    contacts.update_contact(emulator.store, modes, row, {"options": raw})
    pairs = {(item.get("typeId"), item.get("subTypeId")) for item in raw if isinstance(item, dict)}
    return [dict(o) for o in row.options if (o["typeId"], o["subTypeId"]) in pairs]


def delete_options(emulator: Emulator, call: Call) -> object:
    store = emulator.store
    row = get_row(store, call.path_int("contactId"))
    for option in row.options:
        store.contact_option_owner.pop(option["id"], None)
    row.options = []
    return NO_CONTENT


def _find(emulator: Emulator, call: Call) -> tuple[contacts.ContactRow, dict[str, Any]]:
    store = emulator.store
    option_id = call.path_int("optionId")
    owner = store.contact_option_owner.get(option_id)
    if owner is None:
        raise not_found(MODEL, option_id)
    row = store.contacts[owner]
    return row, next(o for o in row.options if o["id"] == option_id)


def get_option(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_find(emulator, call)[1])


def update_option(emulator: Emulator, call: Call) -> dict[str, Any]:
    row, option = _find(emulator, call)
    payload = call.body_dict()
    if "value" in payload:
        option["value"] = "" if payload["value"] is None else str(payload["value"])
    if isinstance(payload.get("priority"), int):
        option["priority"] = payload["priority"]
    option["updatedAt"] = row.fields["updatedAt"] = emulator.store.now()
    return dict(option)


def delete_option(emulator: Emulator, call: Call) -> object:
    row, option = _find(emulator, call)
    row.options.remove(option)
    emulator.store.contact_option_owner.pop(option["id"], None)
    return NO_CONTENT


_MINE = "/rest/accounts/contacts/{contactId}/options"
_ONE = "/rest/accounts/contacts/options/{optionId}"
ENDPOINTS = [
    Endpoint("GET", _MINE, list_options),
    Endpoint("POST", _MINE, add_options),
    Endpoint("PUT", _MINE, replace_options),
    Endpoint("DELETE", _MINE, delete_options),
    Endpoint("GET", _ONE, get_option),
    Endpoint("PUT", _ONE, update_option),
    Endpoint("DELETE", _ONE, delete_option),
]
