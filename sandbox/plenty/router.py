"""The path every emulated API call takes: faults, bearer check, budgets, handler, headers.

Handlers are plain functions ``(emulator, call) -> data`` that run under the store's lock;
everything that makes the emulator behave like a remote system over a network is here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.plenty.faults import FaultDecision
from sandbox.plenty.limits import Kind
from sandbox.plenty.protocol import ApiError, Call

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

log = logging.getLogger(__name__)

Handler = Callable[["Emulator", Call], Any]


@dataclass(frozen=True)
class Endpoint:
    """One emulated route: method, the template as the API documents it, and its handler.

    ``auth`` False: no bearer token needed (login). ``metered`` False: no budget is spent
    and no fault is injected (login, logout).
    """

    method: str
    template: str
    handler: Handler
    auth: bool = True
    metered: bool = True


class NoContent:
    """Returned by handlers whose answer is a 200 with an empty body (deletes)."""


NO_CONTENT = NoContent()


def build_routes(emulator: Emulator, endpoints: list[Endpoint]) -> list[Route]:
    """Starlette routes for ``endpoints``; literal paths are tried before templated ones."""
    grouped: dict[str, dict[str, Endpoint]] = defaultdict(dict)
    for endpoint in endpoints:
        grouped[endpoint.template][endpoint.method] = endpoint
    ordered = sorted(grouped, key=lambda template: template.count("{"))
    return [
        Route(
            _starlette_path(template),
            _dispatcher(emulator, template, grouped[template]),
            methods=list(grouped[template]),
        )
        for template in ordered
    ]


def _starlette_path(template: str) -> str:
    # Referrer ids are decimals (4.01); every other *Id segment is an integer.
    def convert(match: re.Match[str]) -> str:
        name = match.group(1)
        if "eferrerId" in name:
            return "{" + name + ":float}"
        return "{" + name + ":int}" if name.endswith("Id") else match.group(0)

    return re.sub(r"\{(\w+)\}", convert, template)


def _dispatcher(
    emulator: Emulator, template: str, by_method: dict[str, Endpoint]
) -> Callable[[Request], Any]:
    async def dispatch(request: Request) -> Response:
        endpoint = by_method[request.method]
        response = await _serve(emulator, endpoint, request)
        emulator.stats.record(endpoint.method, template, response.status_code)
        return response

    return dispatch


async def _serve(emulator: Emulator, endpoint: Endpoint, request: Request) -> Response:
    config = emulator.config
    headers: dict[str, str] = {}
    try:
        call = Call(
            method=request.method,
            path_params=dict(request.path_params),
            query=request.query_params,
            body=await _read_body(request),
            token=_bearer(request),
        )
        decision = FaultDecision()
        if endpoint.metered:
            decision = emulator.faults.decide(
                config.faults, is_write=request.method != "GET", path=request.url.path
            )
        if decision.latency_s:
            await asyncio.sleep(decision.latency_s)
        if endpoint.auth:
            call.user = emulator.sessions.user_of(call.token)
            kind: Kind = "read" if request.method == "GET" else "write"
            route = f"{endpoint.method} {endpoint.template}"
            metered = emulator.limiter.meter(config.limits, call.user, kind, route)
            headers = metered.headers
            if metered.refusal is not None:
                raise metered.refusal
        if decision.error_status is not None:
            raise ApiError(decision.error_status, "The server could not handle the request.")
        if decision.timeout is not None:
            return await _hang(emulator, endpoint, call, decision, headers)
        return _render(emulator.run(endpoint.handler, call), headers)
    except ApiError as error:
        return _error_response(error, headers)


async def _hang(
    emulator: Emulator,
    endpoint: Endpoint,
    call: Call,
    decision: FaultDecision,
    headers: dict[str, str],
) -> Response:
    hang_s = emulator.config.faults.timeout_hang_s
    if decision.timeout == "applied":
        try:
            result = emulator.run(endpoint.handler, call)
        except ApiError as error:
            await asyncio.sleep(hang_s)
            return _error_response(error, headers)
        await asyncio.sleep(hang_s)
        return _render(result, headers)
    await asyncio.sleep(hang_s)
    if decision.timeout == "applied_late":
        loop = asyncio.get_running_loop()
        loop.call_later(
            emulator.config.faults.late_apply_s, _apply_late, emulator, endpoint.handler, call
        )
    return _error_response(ApiError(504, "Gateway Timeout"), headers)


def _apply_late(emulator: Emulator, handler: Handler, call: Call) -> None:
    try:
        emulator.run(handler, call)
        emulator.stats.late_writes_applied += 1
    except ApiError as error:
        log.info("late write was refused: %s", error.message)


async def _read_body(request: Request) -> Any:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        # Parsed here rather than by Starlette, which would need python-multipart for it.
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "The request body is not valid JSON.") from None


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _render(result: Any, headers: dict[str, str]) -> Response:
    if isinstance(result, Response):
        result.headers.update(headers)
        return result
    if isinstance(result, NoContent):
        return Response(status_code=200, headers=headers)
    return JSONResponse(result, headers=headers)


def _error_response(error: ApiError, headers: dict[str, str]) -> Response:
    return JSONResponse(
        error.body(), status_code=error.status, headers={**headers, **error.headers}
    )
