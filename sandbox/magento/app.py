"""Assembling the Magento emulator: ``/rest[/<store code>]/V1/...`` plus ``/_sandbox/``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from sandbox.data import ImportedShop
from sandbox.magento import (
    inspect,
    routes_customers,
    routes_metadata,
    routes_orders,
    routes_store,
)
from sandbox.magento.auth import issue_admin_token
from sandbox.magento.config import MagentoSandboxConfig
from sandbox.magento.errors import ROUTE_MISS, MagentoError
from sandbox.magento.faults import FaultInjection
from sandbox.magento.routing import check_store_code, state_of
from sandbox.magento.state import SandboxState


async def admin_token(request: Request) -> Response:
    """``POST /V1/integration/admin/token``: the token as a bare JSON string."""
    state = state_of(request)
    try:
        check_store_code(request)
        try:
            body = await request.json()
        except ValueError:
            body = None
        return JSONResponse(issue_admin_token(state, body))
    except MagentoError as error:
        return error.response()


_V1 = [
    Route("/integration/admin/token", admin_token, methods=["POST"]),
    *routes_customers.ROUTES,
    *routes_metadata.ROUTES,
    *routes_store.ROUTES,
    *routes_orders.ROUTES,
]


async def _route_miss(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    if status == 405:
        return JSONResponse({"message": ROUTE_MISS}, status_code=404)
    return JSONResponse({"message": ROUTE_MISS}, status_code=status)


def create_app(
    config: MagentoSandboxConfig | None = None,
    clock: Callable[[], datetime] | None = None,
    imported: ImportedShop | None = None,
) -> Starlette:
    """A Magento REST emulator over a generated dataset, or over an imported shop's customers."""
    state = SandboxState(config or MagentoSandboxConfig(), clock, imported)
    app = Starlette(
        routes=[
            *inspect.ROUTES,
            Mount("/rest/V1", routes=_V1),
            Mount("/rest/{store_code}/V1", routes=_V1),
        ],
        middleware=[Middleware(FaultInjection, state=state)],
        exception_handlers={HTTPException: _route_miss},
    )
    app.state.sandbox = state
    return app
