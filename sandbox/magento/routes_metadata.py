"""The customer-address attribute metadata: Magento's own attributes and the shop's custom one.

An imported shop (a rehearsal) has no custom address attribute: its addresses carry none.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.data import DEMO_LAYOUT
from sandbox.data.addresses import CUSTOM_ADDRESS_ATTRIBUTES, SYSTEM_ADDRESS_ATTRIBUTES
from sandbox.magento.routing import protected
from sandbox.magento.state import SandboxState

CUSTOMER_RESOURCE = "Magento_Customer::customer"


def _metadata(code: str, label: str, frontend_input: str, order: int, user_defined: bool) -> Any:
    return {
        "frontend_input": frontend_input,
        "input_filter": "",
        "store_label": label,
        "validation_rules": [],
        "multiline_count": 2 if code == "street" else 0,
        "visible": frontend_input != "hidden",
        "required": code in ("firstname", "lastname", "street", "city", "country_id"),
        "data_model": "",
        "options": [],
        "frontend_class": "",
        "user_defined": user_defined,
        "sort_order": order,
        "frontend_label": label,
        "note": "",
        "system": not user_defined,
        "backend_type": "varchar",
        "is_used_in_grid": False,
        "is_visible_in_grid": False,
        "is_filterable_in_grid": False,
        "is_searchable_in_grid": False,
        "attribute_code": code,
    }


def _all(state: SandboxState, user_defined: bool | None = None) -> list[Any]:
    rows = [(code, spec, False) for code, spec in SYSTEM_ADDRESS_ATTRIBUTES.items()]
    if state.layout is DEMO_LAYOUT:
        rows += [(code, spec, True) for code, spec in CUSTOM_ADDRESS_ATTRIBUTES.items()]
    return [
        _metadata(code, label, kind, 10 * n, custom)
        for n, (code, (label, kind), custom) in enumerate(rows, start=1)
        if user_defined is None or custom == user_defined
    ]


@protected(CUSTOMER_RESOURCE)
async def address_attributes(request: Request, state: SandboxState) -> Any:
    return _all(state)


@protected(CUSTOMER_RESOURCE)
async def custom_address_attributes(request: Request, state: SandboxState) -> Any:
    return _all(state, user_defined=True)


ROUTES = [
    Route("/attributeMetadata/customerAddress", address_attributes, methods=["GET"]),
    Route("/attributeMetadata/customerAddress/custom", custom_address_attributes, methods=["GET"]),
]
