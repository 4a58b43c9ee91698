"""Turning Magento's answers into data or into plentysync's typed errors."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from core.backoff import retry_after
from core.errors import (
    AuthError,
    ConfigError,
    DataError,
    NotFoundError,
    PlentysyncError,
    RateLimitedError,
    TransientError,
)

_PLACEHOLDER = re.compile(r"%(\w+)")
ROUTE_MISS = "Request does not match any route."
# How long a batch waits after a 429 that named no ``Retry-After`` and outlived our retries.
UNNAMED_WAIT = 30.0


def render_message(body: object) -> str:
    """Magento's error text with its ``%name`` / ``%1`` placeholders filled in."""
    if not isinstance(body, dict):
        return ""
    message = str(body.get("message") or "")
    params = body.get("parameters")
    if isinstance(params, list):
        values = {str(i + 1): v for i, v in enumerate(params)}
    elif isinstance(params, dict):
        values = {str(k): v for k, v in params.items()}
    else:
        values = {}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), message)


def _body(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def message_of(response: httpx.Response) -> str:
    """Magento's rendered error message from ``response``, or "" when there is none."""
    return render_message(_body(response))


def error_for(response: httpx.Response, what: str) -> PlentysyncError:
    """The typed error for a non-2xx answer; ``what`` names the call in the message."""
    status = response.status_code
    text = message_of(response)
    said = f": {text}" if text else ""
    wait = retry_after(response.headers)
    if status == 429:
        # The shop (or its proxy) asks us to slow down: a wait, not a failure of the record.
        return RateLimitedError(
            f"Magento answered 429 to {what}{said}",
            retry_after=UNNAMED_WAIT if wait is None else wait,
            budget="magento",
            asked=wait is not None,
        )
    if status >= 500 or status == 408:
        detail: dict[str, object] = {"status": status}
        if wait is not None:
            detail["retry_after"] = wait
        return TransientError(f"Magento answered {status} to {what}{said}", detail=detail)
    if status in (401, 403):
        return AuthError(
            f"Magento refused the credentials for {what}{said}; check the source's "
            "authentication settings and the integration's API permissions",
            detail={"status": status},
        )
    if status == 404:
        if text == ROUTE_MISS:
            return ConfigError(
                f"Magento does not know the route for {what}: check the base URL and the "
                "store code of the source",
                detail={"status": status},
            )
        return NotFoundError(f"Magento has no such record ({what}){said}", detail={"status": 404})
    if status == 400:
        return ConfigError(
            f"Magento rejected the request for {what}{said}; check the source's settings "
            "(page size, store code)",
            detail={"status": status},
        )
    return DataError(f"Magento answered {status} to {what}{said}", detail={"status": status})


def decode_json(response: httpx.Response, what: str) -> Any:
    """The JSON body of a successful answer; a body that is not JSON is transient.

    Shops behind a proxy or WAF sometimes answer 200 with an HTML page or a cut-off body,
    which usually passes, so it is retried like a network failure.
    """
    try:
        return json.loads(response.content)
    except ValueError as exc:
        kind = response.headers.get("Content-Type", "unknown type")
        raise TransientError(
            f"Magento's answer to {what} is not valid JSON ({kind}, {len(response.content)} bytes)",
            detail={"status": response.status_code},
        ) from exc
