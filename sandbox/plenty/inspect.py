"""``/_sandbox/``: controls and views for tests and benchmarks, outside the emulated API.

These routes spend no budget and see no injected fault. When ``inspect_token`` is set they
need it in the ``X-Sandbox-Token`` header.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.plenty import contacts
from sandbox.plenty.protocol import ApiError
from sandbox.plenty.stats import snapshot

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator

Control = Callable[["Emulator", Request, Any], Any]

# Fields staff may edit through /_sandbox/contacts/{id}: the contact's scalar fields, and
# its timestamps so tests can date a contact back.
STAFF_EDITABLE = frozenset(
    {*contacts.STRING_FIELDS, *contacts.INT_FIELDS, *contacts.FLOAT_FIELDS, *contacts.DATE_FIELDS}
    | {"createdAt", "updatedAt"}
)


def routes(emulator: Emulator) -> list[Route]:
    table: list[tuple[str, str, Control]] = [
        ("POST", "/_sandbox/reset", _reset),
        ("GET", "/_sandbox/config", _get_config),
        ("POST", "/_sandbox/config", _configure),
        ("GET", "/_sandbox/stats", _stats),
        ("GET", "/_sandbox/contacts", _dump_contacts),
        ("POST", "/_sandbox/contacts", _seed_contacts),
        ("PATCH", "/_sandbox/contacts/{contactId:int}", _staff_edit),
        ("POST", "/_sandbox/contacts/{contactId:int}/orders", _mark_orders),
        ("POST", "/_sandbox/tokens/revoke", _revoke_tokens),
        ("POST", "/_sandbox/tokens/expire", _expire_tokens),
        ("POST", "/_sandbox/rate-limits/burst", _burst),
    ]
    return [Route(path, _guarded(emulator, control), methods=[m]) for m, path, control in table]


def _guarded(emulator: Emulator, control: Control) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        expected = emulator.config.inspect_token
        given = request.headers.get("x-sandbox-token", "")
        if expected and not secrets.compare_digest(given, expected):
            return JSONResponse(ApiError(403, "Sandbox token required.").body(), status_code=403)
        raw = await request.body()
        try:
            payload = json.loads(raw) if raw.strip() else {}
            result = control(emulator, request, payload)
        except ValueError as error:  # bad JSON, or a configuration pydantic refused
            detail = error.errors() if isinstance(error, ValidationError) else str(error)
            return JSONResponse(
                {"error": {"message": "invalid sandbox request", "detail": detail}}, 422
            )
        except ApiError as error:
            return JSONResponse(error.body(), status_code=error.status)
        return JSONResponse(result)

    return endpoint


def _reset(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    emulator.reset()
    return {"reset": True}


def _get_config(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    return _public_config(emulator)


def _configure(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ValueError("the configuration must be a JSON object")
    emulator.reconfigure(payload)
    return _public_config(emulator)


def _public_config(emulator: Emulator) -> dict[str, Any]:
    # Passwords of the emulated users are not echoed back.
    body = emulator.config.model_dump(mode="json")
    body["users"] = sorted(body["users"])
    body.pop("inspect_token", None)
    return body


def _stats(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    return snapshot(emulator)


def _dump_contacts(emulator: Emulator, request: Request, payload: Any) -> list[dict[str, Any]]:
    store = emulator.store
    with store.lock:
        dumped = []
        for contact_id, row in sorted(store.contacts.items()):
            body = contacts.render_contact(store, row, {"addresses", "accounts"})
            body["orderCount"] = store.orders.get(contact_id, 0)
            dumped.append(body)
        return dumped


def _seed_contacts(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    """Create contacts as ERP staff (a JSON array of contact payloads), spending no budget."""
    if not isinstance(payload, list):
        raise ValueError("expected a JSON array of contacts")
    store = emulator.store
    with store.lock:
        rows = [contacts.create_contact(store, emulator.config.modes, item) for item in payload]
    return {"ids": [row.fields["id"] for row in rows]}


def _staff_edit(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    """Change contact fields as ERP staff would in the back end: no budget, no validation.

    ``{"fields": {...}, "options": [{"typeId", "subTypeId", "value"}]}``; options given
    here update the option of the same type and sub-type or are added.
    """
    store = emulator.store
    contact_id = int(request.path_params["contactId"])
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    unknown = set(payload.get("fields", {})) - STAFF_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with store.lock:
        row = contacts.get_row(store, contact_id)
        row.fields.update(payload.get("fields", {}))
        for option in payload.get("options", []):
            pair = (int(option["typeId"]), int(option["subTypeId"]))
            current = next((o for o in row.options if (o["typeId"], o["subTypeId"]) == pair), None)
            if current is not None:
                current["value"] = str(option["value"])
            else:
                _add_staff_option(emulator, row, pair, str(option["value"]))
        if "updatedAt" not in payload.get("fields", {}):
            row.fields["updatedAt"] = store.now()
        return contacts.render_contact(store, row, {"addresses"})


def _add_staff_option(
    emulator: Emulator, row: contacts.ContactRow, pair: tuple[int, int], value: str
) -> None:
    store = emulator.store
    now = store.now()
    option_id = store.next_id("contact_option")
    row.options.append(
        {"id": option_id, "contactId": row.fields["id"], "typeId": pair[0],
         "subTypeId": pair[1], "value": value, "priority": 0, "createdAt": now, "updatedAt": now}
    )  # fmt: skip
    store.contact_option_owner[option_id] = row.fields["id"]


def _mark_orders(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    """Record that a contact has orders (``{"count": n}``, default 1), which blocks deletes."""
    store = emulator.store
    contact_id = int(request.path_params["contactId"])
    count = int(payload.get("count", 1)) if isinstance(payload, dict) else 1
    with store.lock:
        contacts.get_row(store, contact_id)
        store.orders[contact_id] = count
        if count > 0:
            store.contacts[contact_id].fields["lastOrderAt"] = store.now()
    return {"contactId": contact_id, "orderCount": count}


def _revoke_tokens(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    user = payload.get("user") if isinstance(payload, dict) else None
    return {"revoked": emulator.sessions.revoke(user)}


def _expire_tokens(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    emulator.sessions.expire_all()
    return {"expired": True}


def _burst(emulator: Emulator, request: Request, payload: Any) -> dict[str, Any]:
    """Answer the next ``count`` API calls with 429, as a burst of contention would.

    With ``hold_s`` the burst also passes after that many seconds; without, it lasts until
    ``count`` calls were refused.
    """
    body = payload if isinstance(payload, dict) else {}
    count = int(body.get("count", 1))
    hold_s = body.get("hold_s")
    emulator.limiter.force_refusals(count, None if hold_s is None else float(hold_s))
    answer: dict[str, Any] = {"refusing_next": count}
    if hold_s is not None:
        answer["for_s"] = float(hold_s)
    return answer
