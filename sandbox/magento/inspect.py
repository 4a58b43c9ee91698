"""``/_sandbox/``: reset, configure, call counts, mutations and deletions for tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.data import CRAFTED, MutationKind
from sandbox.magento.routing import state_of


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body


def _problem(text: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


async def reset(request: Request) -> JSONResponse:
    state_of(request).reset()
    return JSONResponse({"reset": True})


async def config(request: Request) -> JSONResponse:
    """GET shows the current settings (no credentials); POST changes some of them."""
    state = state_of(request)
    if request.method == "POST":
        try:
            state.config = state.config.updated(await _json_body(request))
        except (ValueError, TypeError) as error:
            return _problem(str(error))
    return JSONResponse(state.config.public())


async def stats(request: Request) -> JSONResponse:
    """Calls by route and status, e.g. ``{"GET /V1/customers/search": {"200": 3}}``."""
    calls: dict[str, dict[str, int]] = {}
    state = state_of(request)
    for (route, status), count in sorted(state.calls.items()):
        calls.setdefault(route, {})[str(status)] = count
    return JSONResponse({"calls": calls, "total": sum(state.calls.values())})


async def mutate(request: Request) -> JSONResponse:
    """Body ``{"count": K}`` or ``{"ids": [...]}``, optional ``"kinds": ["address", ...]``."""
    try:
        body = await _json_body(request)
        kinds = [MutationKind(k) for k in body.get("kinds") or []] or None
        ids = [int(i) for i in body.get("ids") or []] or None
        count = int(body.get("count", 0))
    except (ValueError, TypeError) as error:
        return _problem(str(error))
    done = state_of(request).dataset.mutate(count=count, ids=ids, kinds=kinds)
    return JSONResponse(
        {
            "mutations": [
                {"customer_id": m.customer_id, "kind": str(m.kind), "updated_at": m.updated_at}
                for m in done
            ]
        }
    )


async def delete_customer(request: Request) -> JSONResponse:
    customer_id = int(request.path_params["customer_id"])
    if not state_of(request).dataset.delete(customer_id):
        return _problem(f"no customer {customer_id}", 404)
    return JSONResponse({"deleted": customer_id})


async def _overwrite(
    request: Request,
    what: str,
    key: str,
    apply: Callable[[int, dict[str, Any]], dict[str, Any] | None],
) -> JSONResponse:
    """Set the body's raw fields on the record ``key`` names; 404 when there is none."""
    try:
        fields = await _json_body(request)
    except ValueError as error:
        return _problem(str(error))
    number = int(request.path_params[key])
    record = apply(number, fields)
    if record is None:
        return _problem(f"no {what} {number}", 404)
    return JSONResponse(record)


async def overwrite_customer(request: Request) -> JSONResponse:
    """Body: raw fields set on the customer as they are, e.g. ``{"addresses": null}``."""
    dataset = state_of(request).dataset
    return await _overwrite(request, "customer", "customer_id", dataset.overwrite)


async def overwrite_order(request: Request) -> JSONResponse:
    """Body: raw fields set on the order as they are, e.g. ``{"billing_address": 7}``."""
    dataset = state_of(request).dataset
    return await _overwrite(request, "order", "order_id", dataset.overwrite_order)


async def craft(request: Request) -> JSONResponse:
    """Body ``{"kinds": [...], "first": 1}``: break one clean customer per crafted kind.

    Answers ``{"crafted": {id: {"kind": ..., "refused_on": field or null}}}``.
    """
    try:
        body = await _json_body(request)
        kinds = [str(k) for k in body.get("kinds") or CRAFTED]
        done = state_of(request).dataset.craft(kinds, first=int(body.get("first", 1)))
    except (ValueError, TypeError) as error:
        return _problem(str(error))
    return JSONResponse(
        {
            "crafted": {
                str(i): {"kind": kind, "refused_on": CRAFTED[kind].refused_on}
                for i, kind in done.items()
            }
        }
    )


async def dirty(request: Request) -> JSONResponse:
    """Dirty customers among ids ``first``..``last`` with how each is broken."""
    dataset = state_of(request).dataset
    first = int(request.query_params.get("first", 1))
    last = int(request.query_params.get("last", min(dataset.config.customers, first + 999)))
    found = {
        str(i): sorted(str(k) for k in dataset.dirty(i))
        for i in dataset.ids(first, last)
        if dataset.dirty(i)
    }
    return JSONResponse({"dirty": found})


ROUTES = [
    Route("/_sandbox/reset", reset, methods=["POST"]),
    Route("/_sandbox/config", config, methods=["GET", "POST"]),
    Route("/_sandbox/stats", stats, methods=["GET"]),
    Route("/_sandbox/mutate", mutate, methods=["POST"]),
    Route("/_sandbox/customers/{customer_id:int}", delete_customer, methods=["DELETE"]),
    Route("/_sandbox/customers/{customer_id:int}", overwrite_customer, methods=["PATCH"]),
    Route("/_sandbox/orders/{order_id:int}", overwrite_order, methods=["PATCH"]),
    Route("/_sandbox/dirty", dirty, methods=["GET"]),
    Route("/_sandbox/crafted", craft, methods=["POST"]),
]
