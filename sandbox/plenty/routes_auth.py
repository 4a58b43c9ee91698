"""Login, refresh, logout and "who am I" for back-end users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty.protocol import Call
from sandbox.plenty.router import NO_CONTENT, Endpoint

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator


def _credential(call: Call, name: str) -> str | None:
    # Credentials arrive as JSON, as a form or (legacy clients) in the query string.
    body = call.body if isinstance(call.body, dict) else {}
    value = body.get(name)
    if value in (None, ""):
        value = call.query.get(name)
    return None if value is None else str(value)


def login(emulator: Emulator, call: Call) -> dict[str, Any]:
    config = emulator.config
    return emulator.sessions.login(
        config.users,
        _credential(call, "username"),
        _credential(call, "password"),
        config.token_lifetime_s,
        config.max_sessions,
    )


def refresh(emulator: Emulator, call: Call) -> dict[str, Any]:
    body = call.body if isinstance(call.body, dict) else {}
    refresh_token = body.get("refresh_token") or body.get("refreshToken")
    refresh_token = refresh_token or call.query.get("refresh_token")
    return emulator.sessions.refresh(
        call.token,
        None if refresh_token is None else str(refresh_token),
        emulator.config.token_lifetime_s,
        emulator.config.max_sessions,
    )


def logout(emulator: Emulator, call: Call) -> object:
    emulator.sessions.logout(call.token)
    return NO_CONTENT


def who_am_i(emulator: Emulator, call: Call) -> dict[str, Any]:
    user = call.user or ""
    return {
        "id": sorted(emulator.config.users).index(user) + 1,
        "user": user,
        "realName": user,
        "lang": "de",
        "email": "",
        "timezone": emulator.config.timezone,
        "roleId": 1,
        "userClass": 2,
    }


def session_limits(emulator: Emulator, call: Call) -> dict[str, Any]:
    users, _ = emulator.sessions.live_counts()
    return {"concurrentSessions": users, "maxSessions": emulator.config.max_sessions}


ENDPOINTS = [
    Endpoint("POST", "/rest/login", login, auth=False, metered=False),
    Endpoint("POST", "/rest/login/refresh", refresh, auth=False, metered=False),
    Endpoint("POST", "/rest/logout", logout, auth=False, metered=False),
    # One client library logs out with DELETE /rest/login; the real system tolerates it.
    Endpoint("DELETE", "/rest/login", logout, auth=False, metered=False),
    Endpoint("GET", "/rest/user", who_am_i),
    Endpoint("GET", "/rest/session_limits", session_limits),
]
