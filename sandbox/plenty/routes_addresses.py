"""Contact addresses, free-standing addresses, address options and address relations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty import addresses
from sandbox.plenty.addresses import get_address, relation_flags, render_address
from sandbox.plenty.contacts import get_row
from sandbox.plenty.protocol import Call, invalid, not_found, page_window, paginated, parse_bool
from sandbox.plenty.router import NO_CONTENT, Endpoint

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

RELATION_MODEL = "Address\\Models\\AddressContactRelation"
OPTION_MODEL = "Address\\Models\\AddressOption"


def contact_addresses(emulator: Emulator, call: Call) -> Any:
    """A contact's addresses (optionally of one type): an array, paginated on request."""
    store = emulator.store
    contact_id = call.path_int("contactId")
    get_row(store, contact_id)
    type_id = call.path_int("addressTypeId") if "addressTypeId" in call.path_params else None
    seen: list[int] = []
    for relation in store.contact_relations(contact_id):
        if (type_id is None or relation["typeId"] == type_id) and relation["addressId"] not in seen:
            seen.append(relation["addressId"])
    entries = [render_address(store, address_id) for address_id in seen]
    if call.first("page", "itemsPerPage") is None:
        return entries
    page, per_page = page_window(call, 1000, 1000)
    return paginated(entries, page, per_page)


def primary_addresses(emulator: Emulator, call: Call) -> dict[str, Any]:
    """Per relation type, the primary address or else the most recently linked one."""
    store = emulator.store
    contact_id = call.path_int("contactId")
    get_row(store, contact_id)
    chosen: dict[int, dict[str, Any]] = {}
    for relation in store.contact_relations(contact_id):
        current = chosen.get(relation["typeId"])
        if current is None or not current["isPrimary"]:
            chosen[relation["typeId"]] = relation
    return {str(t): render_address(store, r["addressId"]) for t, r in sorted(chosen.items())}


def create_contact_address(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    contact_id = call.path_int("contactId")
    get_row(store, contact_id)
    payload = call.body_dict()
    type_id, is_primary = relation_flags(call.query, payload)
    if type_id is None:
        raise invalid({"typeId": ["The type id field is required."]})
    fields, options = addresses.clean_address(emulator.config.modes, payload, partial=False)
    address_id = addresses.add_to_contact(
        store, contact_id, fields, options or [], type_id, is_primary
    )
    return render_address(store, address_id)


def update_contact_address(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    contact_id, address_id = call.path_int("contactId"), call.path_int("addressId")
    get_row(store, contact_id)
    get_address(store, address_id)
    payload = call.body_dict()
    type_id, is_primary = relation_flags(call.query, payload)
    fields, options = addresses.clean_address(emulator.config.modes, payload, partial=True)
    address_id = addresses.update_for_contact(
        store, contact_id, address_id, fields, options, type_id
    )
    if type_id is not None and is_primary:
        addresses.link(store, contact_id, address_id, type_id, True)
    return render_address(store, address_id)


def delete_contact_address(emulator: Emulator, call: Call) -> object:
    """Unlink an address (only the given relation type, if any); orphans are deleted."""
    store = emulator.store
    contact_id, address_id = call.path_int("contactId"), call.path_int("addressId")
    get_row(store, contact_id)
    get_address(store, address_id)
    type_id = call.query_int("typeId")
    doomed = [
        r["id"]
        for r in store.contact_relations(contact_id)
        if r["addressId"] == address_id and (type_id is None or r["typeId"] == type_id)
    ]
    if not doomed:
        raise not_found(RELATION_MODEL, address_id)
    for relation_id in doomed:
        store.remove_relation(relation_id)
    return NO_CONTENT


def set_primary(emulator: Emulator, call: Call) -> dict[str, Any]:
    relation = _relation_for(emulator, call)
    addresses.set_primary(emulator.store, relation)
    return dict(relation)


def reset_primary(emulator: Emulator, call: Call) -> dict[str, Any]:
    relation = _relation_for(emulator, call)
    relation["isPrimary"] = False
    return dict(relation)


def _relation_for(emulator: Emulator, call: Call) -> dict[str, Any]:
    contact_id, address_id = call.path_int("contactId"), call.path_int("addressId")
    type_id = call.path_int("addressTypeId")
    for relation in emulator.store.contact_relations(contact_id):
        if relation["addressId"] == address_id and relation["typeId"] == type_id:
            return relation
    raise not_found(RELATION_MODEL, address_id)


def list_addresses(emulator: Emulator, call: Call) -> dict[str, Any]:
    modes = emulator.config.modes
    page, per_page = page_window(call, modes.items_per_page_default, modes.items_per_page_max)
    store = emulator.store
    result = paginated(sorted(store.addresses), page, per_page)
    result["entries"] = [render_address(store, address_id) for address_id in result["entries"]]
    return result


def create_address(emulator: Emulator, call: Call) -> dict[str, Any]:
    fields, options = addresses.clean_address(
        emulator.config.modes, call.body_dict(), partial=False
    )
    address_id = addresses.new_address(emulator.store, fields, options or [])
    return render_address(emulator.store, address_id)


def get_one_address(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    address_id = call.path_int("addressId")
    get_address(store, address_id)
    body = render_address(store, address_id)
    if "contactRelations" in call.with_relations():
        body["contactRelations"] = [
            dict(r) for r in store.address_relations.values() if r["addressId"] == address_id
        ]
    return body


def update_address(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    address_id = call.path_int("addressId")
    row = get_address(store, address_id)
    fields, options = addresses.clean_address(emulator.config.modes, call.body_dict(), partial=True)
    row.fields.update(fields, updatedAt=store.now())
    if options is not None:
        addresses.set_address_options(store, address_id, options, replace=False)
    return render_address(store, address_id)


def delete_address(emulator: Emulator, call: Call) -> object:
    store = emulator.store
    address_id = call.path_int("addressId")
    get_address(store, address_id)
    for relation_id in [
        r["id"] for r in store.address_relations.values() if r["addressId"] == address_id
    ]:
        store.remove_relation(relation_id)
    row = store.addresses.pop(address_id, None)
    for option in row.options if row else []:
        store.address_option_owner.pop(option["id"], None)
    return NO_CONTENT


def address_options(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    row = get_address(emulator.store, call.path_int("addressId"))
    return [dict(option) for option in row.options]


def add_address_options(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    store = emulator.store
    address_id = call.path_int("addressId")
    get_address(store, address_id)
    errors: dict[str, list[str]] = {}
    raw = call.body if isinstance(call.body, list) else [call.body_dict()]
    options = addresses.clean_address_options(raw, errors)
    if errors:
        raise invalid(errors)
    touched = addresses.set_address_options(store, address_id, options, replace=False)
    return [dict(option) for option in touched]


def _option(emulator: Emulator, call: Call) -> dict[str, Any]:
    store = emulator.store
    option_id = call.path_int("optionId")
    owner = store.address_option_owner.get(option_id)
    if owner is None:
        raise not_found(OPTION_MODEL, option_id)
    return next(o for o in store.addresses[owner].options if o["id"] == option_id)


def get_address_option(emulator: Emulator, call: Call) -> dict[str, Any]:
    return dict(_option(emulator, call))


def update_address_option(emulator: Emulator, call: Call) -> dict[str, Any]:
    option = _option(emulator, call)
    payload = call.body_dict()
    if "value" in payload:
        option["value"] = "" if payload["value"] is None else str(payload["value"])
    if isinstance(payload.get("position"), int):
        option["position"] = payload["position"]
    option["updatedAt"] = emulator.store.now()
    return dict(option)


def delete_address_option(emulator: Emulator, call: Call) -> object:
    store = emulator.store
    option = _option(emulator, call)
    store.addresses[option["addressId"]].options.remove(option)
    store.address_option_owner.pop(option["id"], None)
    return NO_CONTENT


def list_relations(emulator: Emulator, call: Call) -> dict[str, Any]:
    modes = emulator.config.modes
    page, per_page = page_window(call, modes.items_per_page_default, modes.items_per_page_max)
    wanted = {name: call.query_int(name) for name in ("id", "contactId", "typeId", "addressId")}
    primary = call.query_bool("isPrimary")
    rows = [
        dict(relation)
        for _, relation in sorted(emulator.store.address_relations.items())
        if all(v is None or relation[k] == v for k, v in wanted.items())
        and (primary is None or relation["isPrimary"] == primary)
    ]
    return paginated(rows, page, per_page)


def write_relations(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    """Create or update relations from an array of {contactId, addressId, typeId, isPrimary}.

    Whether one bad item fails the whole array is the ``relation_array`` mode: every item is
    checked before any is written ("all_or_nothing", a 422 naming the bad ones), or the good
    ones are written and returned, the bad ones left out ("per_item").
    """
    store = emulator.store
    good: list[tuple[int, int, int, bool]] = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(call.body_list()):
        try:
            contact_id, address_id = int(item["contactId"]), int(item["addressId"])
            type_id = int(item["typeId"])
        except (KeyError, TypeError, ValueError):
            errors[f"{index}"] = ["contactId, addressId and typeId are required."]
            continue
        if contact_id not in store.contacts:
            errors[f"{index}.contactId"] = ["The selected contact id is invalid."]
        elif address_id not in store.addresses:
            errors[f"{index}.addressId"] = ["The selected address id is invalid."]
        elif type_id not in addresses.RELATION_TYPES:
            errors[f"{index}.typeId"] = ["The selected type id is invalid."]
        else:
            good.append((contact_id, address_id, type_id, parse_bool(item.get("isPrimary", False))))
    if errors and emulator.config.modes.relation_array == "all_or_nothing":
        raise invalid(errors)
    return [dict(addresses.link(store, *relation)) for relation in good]


def get_relation(emulator: Emulator, call: Call) -> dict[str, Any]:
    relation_id = call.path_int("addressContactRelationId")
    relation = emulator.store.address_relations.get(relation_id)
    if relation is None:
        raise not_found(RELATION_MODEL, relation_id)
    return dict(relation)


def delete_relation(emulator: Emulator, call: Call) -> object:
    relation_id = call.path_int("addressContactRelationId")
    if relation_id not in emulator.store.address_relations:
        raise not_found(RELATION_MODEL, relation_id)
    # Deleting only the relation keeps the address, which can be linked again.
    emulator.store.remove_relation(relation_id, drop_orphan=False)
    return NO_CONTENT


_CONTACT = "/rest/accounts/contacts/{contactId}/addresses"
_RELATIONS = "/rest/accounts/addresses/contact_relations"
_PRIMARY = _CONTACT + "/{addressId}/types/{addressTypeId}"
ENDPOINTS = [
    Endpoint("GET", _CONTACT, contact_addresses),
    Endpoint("POST", _CONTACT, create_contact_address),
    Endpoint("GET", _CONTACT + "/primary", primary_addresses),
    Endpoint("GET", _CONTACT + "/{addressTypeId}", contact_addresses),
    Endpoint("PUT", _CONTACT + "/{addressId}", update_contact_address),
    Endpoint("DELETE", _CONTACT + "/{addressId}", delete_contact_address),
    Endpoint("PUT", _PRIMARY + "/primary", set_primary),
    Endpoint("PUT", _PRIMARY + "/reset_primary", reset_primary),
    Endpoint("GET", "/rest/accounts/addresses", list_addresses),
    Endpoint("POST", "/rest/accounts/addresses", create_address),
    Endpoint("GET", "/rest/accounts/addresses/{addressId}", get_one_address),
    Endpoint("PUT", "/rest/accounts/addresses/{addressId}", update_address),
    Endpoint("DELETE", "/rest/accounts/addresses/{addressId}", delete_address),
    Endpoint("GET", "/rest/accounts/addresses/{addressId}/options", address_options),
    Endpoint("POST", "/rest/accounts/addresses/{addressId}/options", add_address_options),
    Endpoint("PUT", "/rest/accounts/addresses/{addressId}/options", add_address_options),
    Endpoint("GET", "/rest/accounts/addresses/options/{optionId}", get_address_option),
    Endpoint("PUT", "/rest/accounts/addresses/options/{optionId}", update_address_option),
    Endpoint("DELETE", "/rest/accounts/addresses/options/{optionId}", delete_address_option),
    Endpoint("GET", _RELATIONS, list_relations),
    Endpoint("POST", _RELATIONS, write_relations),
    Endpoint("PUT", _RELATIONS, write_relations),
    Endpoint("GET", _RELATIONS + "/{addressContactRelationId}", get_relation),
    Endpoint("DELETE", _RELATIONS + "/{addressContactRelationId}", delete_relation),
]
