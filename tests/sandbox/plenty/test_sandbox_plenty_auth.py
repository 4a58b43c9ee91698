"""Logins, token lifetime, refresh, logout, revocation and the concurrent-session cap."""

from __future__ import annotations

import httpx

from sandbox.plenty import SandboxConfig
from tests.sandbox.plenty.support import PASSWORD, USER, Api, FakeClock, StartEmulator

TOKEN_KEYS = {
    "token_type",
    "expires_in",
    "access_token",
    "refresh_token",
    "concurrent_sessions",
    "max_current_sessions",
    "tokenType",
    "expiresIn",
    "accessToken",
    "refreshToken",
}


def test_login_accepts_json_form_and_query_credentials(start_emulator: StartEmulator) -> None:
    api = start_emulator()
    answers = [
        api.http.post("/rest/login", json={"username": USER, "password": PASSWORD}),
        api.http.post("/rest/login", data={"username": USER, "password": PASSWORD}),
        api.http.post("/rest/login", params={"username": USER, "password": PASSWORD}),
    ]
    for answer in answers:
        assert answer.status_code == 200
        body = answer.json()
        assert set(body) == TOKEN_KEYS
        assert body["access_token"] == body["accessToken"]
        assert body["refresh_token"] == body["refreshToken"]
        assert body["token_type"] == body["tokenType"] == "Bearer"
        assert body["expires_in"] == body["expiresIn"] == 86400
        assert body["max_current_sessions"] == 3
    assert len({a.json()["access_token"] for a in answers}) == 3


def test_wrong_password_is_invalid_credentials(start_emulator: StartEmulator) -> None:
    api = start_emulator()
    answer = api.http.post("/rest/login", json={"username": USER, "password": "nope"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_credentials"
    assert api.http.post("/rest/login", json={}).json()["error"] == "invalid_credentials"


def test_every_api_route_needs_a_known_bearer_token(api: Api) -> None:
    assert api.get("/rest/accounts/contacts").status_code == 200
    assert api.http.get("/rest/accounts/contacts").status_code == 401
    unknown = api.http.get("/rest/webstores", headers={"Authorization": "Bearer forged"})
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == 401


def test_token_lifetime_is_configurable_and_expired_tokens_are_refused(
    start_emulator: StartEmulator, clock: FakeClock
) -> None:
    api = start_emulator(SandboxConfig(token_lifetime_s=120))
    body = api.http.post("/rest/login", json={"username": USER, "password": PASSWORD}).json()
    assert body["expires_in"] == 120
    api.token = body["access_token"]
    clock.advance(119)
    assert api.get("/rest/user").status_code == 200
    clock.advance(2)
    assert api.get("/rest/user").status_code == 401


def test_refresh_by_bearer_or_refresh_token_replaces_the_old_token(api: Api) -> None:
    old = api.token
    by_bearer = api.post("/rest/login/refresh")
    assert by_bearer.status_code == 200
    new = by_bearer.json()["accessToken"]
    assert new != old
    assert api.http.get("/rest/user", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    api.token = new
    assert api.get("/rest/user").json()["user"] == USER
    refresh_token = by_bearer.json()["refresh_token"]
    by_body = api.http.post("/rest/login/refresh", data={"refresh_token": refresh_token})
    assert by_body.status_code == 200
    assert set(by_body.json()) == TOKEN_KEYS
    assert api.http.post("/rest/login/refresh", json={"refresh_token": "bogus"}).status_code == 401


def test_logout_and_delete_login_end_the_session(api: Api) -> None:
    assert api.post("/rest/logout").status_code == 200
    assert api.get("/rest/user").status_code == 401
    api.login()
    assert api.delete("/rest/login").status_code == 200
    assert api.get("/rest/user").status_code == 401


def test_session_cap_counts_users_not_tokens(start_emulator: StartEmulator) -> None:
    users = {f"user{n}": "pw" for n in range(5)}
    api = start_emulator(SandboxConfig(users=users, max_sessions=3))
    tokens = {}
    for name in ("user0", "user1", "user2"):
        tokens[name] = api.login(name, "pw")
    # The same user again takes no new slot.
    again = api.http.post("/rest/login", json={"username": "user0", "password": "pw"})
    assert again.status_code == 200
    assert again.json()["concurrent_sessions"] == 3
    refused = api.http.post("/rest/login", json={"username": "user3", "password": "pw"})
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_concurrent_sessions"
    assert refused.json()["max_current_sessions"] == 3
    assert "3 users" in refused.json()["message"]
    # user1 logs out: the slot is free again.
    api.http.post("/rest/logout", headers={"Authorization": f"Bearer {tokens['user1']}"})
    assert (
        api.http.post("/rest/login", json={"username": "user3", "password": "pw"}).status_code
        == 200
    )
    sessions = api.stats()["sessions"]
    assert sessions["max_concurrent_sessions"] == 3
    assert sessions["logins"] == 5


def test_no_session_cap_when_switched_off(start_emulator: StartEmulator) -> None:
    users = {f"user{n}": "pw" for n in range(5)}
    api = start_emulator(SandboxConfig(users=users, max_sessions=None))
    for name in users:
        api.login(name, "pw")
    assert api.stats()["sessions"]["logged_in_users"] == 5


def test_revoking_tokens_makes_them_fail_at_once(api: Api) -> None:
    assert api.get("/rest/user").status_code == 200
    assert api.http.post("/_sandbox/tokens/revoke", json={}).json() == {"revoked": 1}
    assert api.get("/rest/user").status_code == 401
    api.login()
    api.http.post("/_sandbox/tokens/expire")
    assert api.get("/rest/user").status_code == 401


def test_who_am_i_names_the_logged_in_user(api: Api) -> None:
    body = api.ok("GET", "/rest/user")
    assert body["user"] == USER
    limits = api.ok("GET", "/rest/session_limits")
    assert limits == {"concurrentSessions": 1, "maxSessions": 3}
    assert isinstance(httpx.Response(200, json=body).json()["id"], int)
