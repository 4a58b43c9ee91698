"""Websites, store groups, store views and their configuration (plain JSON arrays)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.magento.routing import protected
from sandbox.magento.state import SandboxState

STORE_RESOURCE = "Magento_Backend::store"
_CURRENCY = {"US": "USD", "CA": "CAD", "AU": "AUD", "CH": "CHF"}
_TIMEZONE = {
    "en_US": "America/Chicago",
    "en_AU": "Australia/Sydney",
    "de_DE": "Europe/Berlin",
    "de_CH": "Europe/Zurich",
    "fr_FR": "Europe/Paris",
    "fr_CA": "America/Toronto",
}


@protected(STORE_RESOURCE)
async def store_views(request: Request, state: SandboxState) -> Any:
    return [
        {
            "id": view.id,
            "code": view.code,
            "name": view.name,
            "website_id": view.website_id,
            "store_group_id": view.store_group_id,
            "is_active": view.is_active,
            "extension_attributes": {},
        }
        for view in state.layout.store_views
    ]


@protected(STORE_RESOURCE)
async def websites(request: Request, state: SandboxState) -> Any:
    return [
        {"id": w.id, "code": w.code, "name": w.name, "default_group_id": w.default_group_id}
        for w in state.layout.websites
    ]


@protected(STORE_RESOURCE)
async def store_groups(request: Request, state: SandboxState) -> Any:
    return [
        {
            "id": g.id,
            "website_id": g.website_id,
            "root_category_id": g.root_category_id,
            "default_store_id": g.default_store_id,
            "name": g.name,
            "code": g.code,
        }
        for g in state.layout.store_groups
    ]


@protected(STORE_RESOURCE)
async def store_configs(request: Request, state: SandboxState) -> Any:
    port = request.url.port
    base = f"http://{request.url.hostname}{':' + str(port) if port else ''}"
    configs = []
    for view in state.layout.frontend_views:
        currency = _CURRENCY.get(view.countries[0] if view.countries else "", "EUR")
        configs.append(
            {
                "id": view.id,
                "code": view.code,
                "website_id": view.website_id,
                "locale": view.locale,
                "base_currency_code": currency,
                "default_display_currency_code": currency,
                "timezone": _TIMEZONE.get(view.locale, "UTC"),
                "weight_unit": "lbs" if view.locale == "en_US" else "kgs",
                "base_url": f"{base}/{view.code}/",
                "secure_base_url": f"{base}/{view.code}/",
            }
        )
    return configs


ROUTES = [
    Route("/store/storeViews", store_views, methods=["GET"]),
    Route("/store/websites", websites, methods=["GET"]),
    Route("/store/storeGroups", store_groups, methods=["GET"]),
    Route("/store/storeConfigs", store_configs, methods=["GET"]),
]
