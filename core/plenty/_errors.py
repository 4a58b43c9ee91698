"""Turns PlentyONE error answers into plentysync's typed errors (see ``core.errors``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from core.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    DataError,
    NotFoundError,
    PlentysyncError,
    TooManySessionsError,
    TransientError,
    ValidationError,
)

TOO_MANY_SESSIONS = "too_many_concurrent_sessions"
INVALID_CREDENTIALS = "invalid_credentials"


def body_of(response: httpx.Response) -> Any:
    """The parsed JSON body, or ``None`` when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def message_of(body: Any) -> str:
    """PlentyONE's error text from either envelope (``{"error": {"message"}}`` or flat)."""
    if not isinstance(body, Mapping):
        return ""
    error = body.get("error")
    if isinstance(error, Mapping):
        return str(error.get("message", ""))
    if isinstance(body.get("message"), str):
        return str(body["message"])
    return str(error or "")


def error_code_of(body: Any) -> str:
    """The machine-readable ``error`` string of flat envelopes, e.g. ``invalid_credentials``."""
    if isinstance(body, Mapping) and isinstance(body.get("error"), str):
        return str(body["error"])
    return ""


def validation_fields(body: Any) -> dict[str, list[str]]:
    """The ``validation_errors`` beside the error: a field map or, on some routes, a list."""
    if not isinstance(body, Mapping):
        return {}
    raw = body.get("validation_errors")
    if isinstance(raw, Mapping):
        return {str(k): _as_list(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return {"": [str(item) for item in raw]}
    return {}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def error_for(response: httpx.Response, *, what: str) -> PlentysyncError:
    """The typed error for a non-success answer to ``what`` (e.g. ``POST /rest/accounts``)."""
    status = response.status_code
    body = body_of(response)
    text = message_of(body) or response.reason_phrase
    if status in (400, 422):
        fields = validation_fields(body)
        detail = "; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in fields.items())
        return ValidationError(f"PlentyONE refused {what}: {detail or text}", fields=fields)
    if status == 404:
        return NotFoundError(f"PlentyONE does not know the record of {what} ({text})")
    if status == 409:
        return ConflictError(f"PlentyONE reports a conflict for {what}: {text}")
    if status == 401:
        return AuthError(f"PlentyONE rejected the login token for {what}: {text}")
    if status == 403:
        missing = body.get("missing_permissions") if isinstance(body, Mapping) else None
        rights = f" (missing rights: {', '.join(map(str, missing))})" if missing else ""
        return ConfigError(
            f"the PlentyONE user may not call {what}{rights}: grant the rights in "
            "Setup » Account management"
        )
    if status == 429 and error_code_of(body) == TOO_MANY_SESSIONS:
        return TooManySessionsError(too_many_sessions_message(body))
    if status >= 500:
        return TransientError(f"PlentyONE failed on {what} with HTTP {status}: {text}")
    return DataError(f"PlentyONE answered HTTP {status} to {what}: {text}")


def too_many_sessions_message(body: Any) -> str:
    limit = body.get("max_current_sessions") if isinstance(body, Mapping) else None
    return (
        "PlentyONE allows no further session for this user"
        + (f" (at most {limit} at once)" if limit else "")
        + ": log out other back-end sessions of the API user or raise the session limit"
    )
