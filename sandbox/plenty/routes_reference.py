"""Reference data: contact classes and types, option types, referrers, webstores, countries."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sandbox.plenty.countries import country_entries
from sandbox.plenty.protocol import Call, invalid, not_found, page_window, paginated, parse_bool
from sandbox.plenty.router import Endpoint
from sandbox.plenty.state import referrer_record

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

CONTACT_OPTION_TYPES = {
    1: "Telephone", 2: "Email", 3: "Telefax", 4: "Web page", 5: "Marketplace",
    6: "Identification number", 7: "Payment", 8: "User name", 9: "Group", 10: "Access",
    11: "Additional", 13: "Converted by",
}  # fmt: skip
CONTACT_OPTION_SUB_TYPES = {
    1: "Work", 2: "Mobile private", 3: "Mobile work", 4: "Private", 5: "PayPal", 6: "Ebay",
    7: "Amazon", 8: "Klarna", 9: "DHL", 10: "Forum", 11: "Guest", 12: "Contact person",
    13: "Marketplace partner", 15: "User",
}  # fmt: skip
ADDRESS_OPTION_TYPES = {
    1: "VAT number", 2: "External address ID", 3: "Entry certificate", 4: "Telephone",
    5: "Email", 6: "Post number", 7: "Personal id", 8: "BBFC/FSK", 9: "Birthday",
    10: "Session ID", 11: "Title", 12: "Contact person", 13: "External customer ID",
}  # fmt: skip
ADDRESS_RELATION_TYPES = {
    1: "Billing", 2: "Delivery", 3: "Sender", 4: "Return", 5: "Client", 6: "Contractor",
    7: "Warehouse", 8: "POS",
}  # fmt: skip


def _typed(names: dict[int, str], *, erasable_from: int = 1_000) -> list[dict[str, Any]]:
    return [
        {"id": type_id, "position": index, "nonErasable": int(type_id < erasable_from),
         "names": [{"lang": "en", "name": name}]}
        for index, (type_id, name) in enumerate(sorted(names.items()))
    ]  # fmt: skip


def contact_classes(emulator: Emulator, call: Call) -> dict[str, str]:
    # An id -> name map, not a list: real clients iterate it as key => name.
    return {
        str(class_id): name for class_id, name in sorted(emulator.store.contact_classes.items())
    }


def contact_class(emulator: Emulator, call: Call) -> dict[str, Any]:
    class_id = call.path_int("contactClassId")
    name = emulator.store.contact_classes.get(class_id)
    if name is None:
        raise not_found("Contact\\Models\\ContactClass", class_id)
    return _class_body(class_id, name)


def create_contact_class(emulator: Emulator, call: Call) -> dict[str, Any]:
    name = str(call.body_dict().get("name") or "").strip()
    if not name:
        raise invalid({"name": ["The name field is required."]})
    store = emulator.store
    class_id = max(store.contact_classes, default=0) + 1
    store.contact_classes[class_id] = name
    return _class_body(class_id, name)


def _class_body(class_id: int, name: str) -> dict[str, Any]:
    return {
        "id": class_id, "name": name, "priceColumn": 0, "showPrice": 1, "discountType": 0,
        "position": class_id, "valuta": 0, "allowedMops": "", "earlyPaymentDiscount": 0,
    }  # fmt: skip


def contact_types(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    # The six built-in types cannot be deleted; custom types start at 7.
    return _typed(emulator.store.contact_types, erasable_from=7)


def contact_option_types(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    return _typed(CONTACT_OPTION_TYPES)


def contact_option_sub_types(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    return _typed(CONTACT_OPTION_SUB_TYPES)


def address_option_types(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    return _typed(ADDRESS_OPTION_TYPES)


def address_relation_types(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    return _typed(ADDRESS_RELATION_TYPES)


def referrers(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    columns = [c for c in (call.first("columns") or "").split(",") if c]
    found = [dict(r) for _, r in sorted(emulator.store.referrers.items())]
    if columns:
        found = [{k: v for k, v in r.items() if k in columns or k == "id"} for r in found]
    return found


def search_referrers(emulator: Emulator, call: Call) -> dict[str, Any]:
    page, per_page = page_window(call, 20, emulator.config.modes.items_per_page_max)
    wanted_id, name = call.first("id"), (call.first("name") or "").lower()
    found = [
        dict(r)
        for _, r in sorted(emulator.store.referrers.items())
        if (wanted_id is None or float(wanted_id) == r["id"]) and name in r["name"].lower()
    ]
    if call.first("sortOrder") == "desc":
        found.reverse()
    return paginated(found, page, per_page)


def get_referrer(emulator: Emulator, call: Call) -> dict[str, Any]:
    referrer_id = float(call.path_params["referrerId"])
    referrer = emulator.store.referrers.get(referrer_id)
    if referrer is None:
        raise not_found("Order\\Referrer\\Models\\OrderReferrer", referrer_id)
    return dict(referrer)


def next_free_main(emulator: Emulator, call: Call) -> dict[str, Any]:
    return {"id": _next_main(emulator)}


def _next_main(emulator: Emulator) -> int:
    return math.floor(max(emulator.store.referrers, default=0.0)) + 1


def create_referrer(emulator: Emulator, call: Call) -> dict[str, Any]:
    """Create a referrer from the ``data`` query parameter ("name:Shop,isFilterable:true").

    Without a parent the next free main id is used; under a parent the next free
    sub-referrer id (parent + 0.01, + 0.02, ...).
    """
    attributes: dict[str, str] = {}
    for raw in [*call.query.getlist("data"), *call.query.getlist("data[]")]:
        for part in raw.split(","):
            key, _, value = part.partition(":")
            if key.strip():
                attributes[key.strip()] = value.strip()
    name = attributes.get("name") or attributes.get("backendName")
    if not name:
        raise invalid({"data": ["The data field must contain a name."]})
    store = emulator.store
    parent = call.path_params.get("parentReferrerId")
    if parent is None:
        referrer_id = float(_next_main(emulator))
    else:
        base = float(parent)
        if base not in store.referrers:
            raise not_found("Order\\Referrer\\Models\\OrderReferrer", base)
        main = math.floor(base)
        used = {round((r - main) * 100) for r in store.referrers if math.floor(r) == main}
        free = [step for step in range(1, 100) if step not in used]
        if not free:
            raise invalid({"parentReferrerId": ["The referrer has no free sub-referrer id."]})
        referrer_id = round(main + free[0] / 100, 2)
    record = referrer_record(referrer_id, name)
    record["backendName"] = attributes.get("backendName", name)
    if "isFilterable" in attributes:
        record["isFilterable"] = parse_bool(attributes["isFilterable"])
    store.referrers[referrer_id] = record
    return dict(record)


def webstores(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    return [
        {
            "id": store.id,
            "type": "plentymarkets",
            "storeIdentifier": store.plenty_id,
            "name": store.name,
            "pluginSetId": 1,
            "configuration": {
                "defaultLanguage": store.default_language,
                "languageList": ", ".join(sorted(emulator.store.languages)),
                "defaultCurrency": "EUR",
                "defaultShippingCountryId": 1,
                "webstoreId": store.id,
            },
        }
        for store in emulator.store.webstores
    ]


def countries(emulator: Emulator, call: Call) -> list[dict[str, Any]]:
    relations = call.with_relations()
    return country_entries(
        only_eu=bool(call.query_bool("onlyEUCountries")), with_states="states" in relations
    )


ENDPOINTS = [
    Endpoint("GET", "/rest/accounts/contacts/classes", contact_classes),
    Endpoint("POST", "/rest/accounts/contacts/classes", create_contact_class),
    Endpoint("GET", "/rest/accounts/contacts/classes/{contactClassId}", contact_class),
    Endpoint("GET", "/rest/accounts/contacts/types", contact_types),
    Endpoint("GET", "/rest/accounts/contacts/option_types", contact_option_types),
    Endpoint("GET", "/rest/accounts/contacts/option_sub_types", contact_option_sub_types),
    Endpoint("GET", "/rest/accounts/addresses/option_types", address_option_types),
    Endpoint("GET", "/rest/accounts/addresses/relation_types", address_relation_types),
    Endpoint("GET", "/rest/orders/referrers", referrers),
    Endpoint("POST", "/rest/orders/referrers", create_referrer),
    Endpoint("GET", "/rest/orders/referrers/search", search_referrers),
    Endpoint("GET", "/rest/orders/referrers/next_free_main", next_free_main),
    Endpoint("GET", "/rest/orders/referrers/{referrerId}", get_referrer),
    Endpoint("POST", "/rest/orders/referrers/{parentReferrerId}", create_referrer),
    Endpoint("GET", "/rest/webstores", webstores),
    Endpoint("GET", "/rest/orders/shipping/countries", countries),
]
