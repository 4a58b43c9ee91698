"""What every ``/rest`` endpoint shares: store-code check, authorization, errors, ``fields``."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.magento.auth import authorize
from sandbox.magento.criteria import parse_search_criteria
from sandbox.magento.errors import ROUTE_MISS, MagentoError
from sandbox.magento.fields import parse_fields, project
from sandbox.magento.search import Collection, run_search
from sandbox.magento.state import SandboxState

Handler = Callable[[Request, SandboxState], Awaitable[Any]]


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def check_store_code(request: Request) -> None:
    """``/rest/<code>/V1``: a known store view code or ``all``; anything else misses."""
    code = request.path_params.get("store_code")
    if code is not None and code != "all" and state_of(request).layout.view_by_code(code) is None:
        raise MagentoError(404, ROUTE_MISS)


def respond(request: Request, payload: Any) -> JSONResponse:
    """JSON with the ``fields`` partial-response filter applied when asked for."""
    wanted = request.query_params.get("fields")
    if wanted:
        payload = project(payload, parse_fields(wanted))
    return JSONResponse(payload)


def protected(resource: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap an endpoint: store code, then the ACL ``resource`` check, then Magento errors."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            state = state_of(request)
            try:
                check_store_code(request)
                authorize(request, state, resource)
                return respond(request, await handler(request, state))
            except MagentoError as error:
                return error.response()

        return endpoint

    return wrap


def search_response(
    request: Request, state: SandboxState, collection: Collection, render: Callable[[int], Any]
) -> dict[str, Any]:
    """The ``{items, search_criteria, total_count}`` body of a search endpoint."""
    criteria = parse_search_criteria(request.query_params.multi_items())
    result = run_search(collection, criteria, state.paging, state.search_cache)
    return {
        "items": [render(entity_id) for entity_id in result.ids],
        "search_criteria": criteria.echo,
        "total_count": result.total_count,
    }


def path_id(request: Request, name: str, field_name: str) -> int:
    """An integer id from the path; Magento answers a non-number like an unknown id."""
    raw = request.path_params[name]
    try:
        return int(raw)
    except ValueError:
        raise MagentoError(
            404,
            "No such entity with %fieldName = %fieldValue",
            {"fieldName": field_name, "fieldValue": raw},
        ) from None
