"""Login, token sharing through the store, refresh, re-login on 401 and logout (respx)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
import respx

from core.errors import AuthError, TooManySessionsError
from core.plenty import MemoryTokenStore, PlentyClient, RetryPolicy, SystemClock
from tests.core.plenty.conftest import TOKEN_BODY, FakeClock, make_config

MakeClient = Callable[..., PlentyClient]
CONTACT = "/rest/accounts/contacts/7"


def token_body(token: str, expires_in: int = 86400) -> dict[str, object]:
    return {**TOKEN_BODY, "access_token": token, "accessToken": token, "expires_in": expires_in}


def test_one_login_serves_many_calls(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient
) -> None:
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    client = make_client()
    for _ in range(5):
        assert client.contacts.get(7).id == 7
    assert login_route.call_count == 1
    assert contact.calls.last.request.headers["Authorization"] == "Bearer tok-1"
    assert client.calls.logins == 1 and client.calls.read == 5


def test_login_sends_the_credentials_as_json(
    login_route: respx.Route, router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.get(CONTACT).respond(200, json={"id": 7})
    make_client().contacts.get(7)
    assert (
        login_route.calls.last.request.read() == b'{"username":"api-user","password":"s3cret-pw"}'
    )


def test_camel_case_only_login_answers_work(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.post("/rest/login").respond(200, json={"accessToken": "camel", "expiresIn": 3600})
    route = router.get(CONTACT).respond(200, json={"id": 7})
    make_client().contacts.get(7)
    assert route.calls.last.request.headers["Authorization"] == "Bearer camel"


def test_processes_sharing_a_store_share_one_token(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient
) -> None:
    router.get(CONTACT).respond(200, json={"id": 7})
    store = MemoryTokenStore()
    first, second = make_client(token_store=store), make_client(token_store=store)
    first.contacts.get(7)
    second.contacts.get(7)
    assert login_route.call_count == 1
    stored = store.load(make_config().user_key)
    assert stored is not None and "tok-1" not in stored.sealed


def test_many_threads_at_start_cause_one_login(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient
) -> None:
    router.get(CONTACT).respond(200, json={"id": 7})
    store = MemoryTokenStore()
    # Real time: with the fake clock every waiting thread's poll would move time for all of
    # them, and enough polls on a busy machine would let the login lease run out.
    clients = [make_client(token_store=store, clock=SystemClock()) for _ in range(4)]
    threads = [threading.Thread(target=clients[i % 4].contacts.get, args=(7,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert login_route.call_count == 1


def test_a_401_logs_in_again_once_and_repeats_the_call(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    login = router.post("/rest/login")
    login.side_effect = [
        httpx.Response(200, json=token_body("old")),
        httpx.Response(200, json=token_body("new")),
    ]
    contact = router.get(CONTACT)
    contact.side_effect = [
        httpx.Response(401, json={"error": "expired"}),
        httpx.Response(200, json={"id": 7}),
    ]
    client = make_client()
    assert client.contacts.get(7).id == 7
    assert login.call_count == 2
    assert [c.request.headers["Authorization"] for c in contact.calls] == [
        "Bearer old",
        "Bearer new",
    ]


def test_a_token_rejected_after_every_login_is_an_auth_error_when_time_is_up(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient, clock: FakeClock
) -> None:
    router.get(CONTACT).respond(401, json={"error": {"message": "Unauthenticated."}})
    config = make_config(
        retry=RetryPolicy(attempts=3, base_delay=0.5, max_delay=4.0, relogin_within=30)
    )
    started = clock.now()
    with pytest.raises(AuthError) as caught:
        make_client(config).contacts.get(7)
    assert "kept rejecting" in str(caught.value) and "Unauthenticated." in str(caught.value)
    assert clock.now() - started >= 30
    # Rejections in a row back off: a dozen logins in 30 s, not one per round trip.
    assert 5 <= login_route.call_count <= 20
    assert clock.sleeps[0] <= 0.5 and max(clock.sleeps) <= 4.0


def test_no_relogin_time_means_one_new_login_per_call(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient
) -> None:
    router.get(CONTACT).respond(401, json={"error": {"message": "Unauthenticated."}})
    config = make_config(retry=RetryPolicy(attempts=3, relogin_within=0))
    with pytest.raises(AuthError):
        make_client(config).contacts.get(7)
    assert login_route.call_count == 2


def test_bad_credentials_are_a_clear_auth_error(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.post("/rest/login").respond(401, json={"error": "invalid_credentials", "message": "no"})
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    with pytest.raises(AuthError) as caught:
        make_client().contacts.get(7)
    assert not isinstance(caught.value, TooManySessionsError)
    assert "api-user" in str(caught.value) and "s3cret-pw" not in str(caught.value)
    assert contact.call_count == 0


def test_too_many_sessions_is_its_own_error(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.post("/rest/login").respond(
        429,
        json={"error": "too_many_concurrent_sessions", "max_current_sessions": 3, "message": "x"},
    )
    with pytest.raises(TooManySessionsError, match="at most 3"):
        make_client().contacts.get(7)


def test_a_token_close_to_expiry_is_refreshed(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    router.post("/rest/login").respond(200, json=token_body("first", expires_in=3600))
    refresh = router.post("/rest/login/refresh").respond(200, json=token_body("second"))
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    client = make_client(make_config(refresh_before_expiry=600))
    client.contacts.get(7)
    clock.advance(3000)  # 600 s left: inside the refresh margin, still valid
    client.contacts.get(7)
    assert refresh.call_count == 1
    assert refresh.calls.last.request.headers["Authorization"] == "Bearer first"
    assert contact.calls.last.request.headers["Authorization"] == "Bearer second"


def test_an_expired_token_is_replaced_by_a_new_login(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    login = router.post("/rest/login")
    login.side_effect = [
        httpx.Response(200, json=token_body("first", expires_in=3600)),
        httpx.Response(200, json=token_body("second")),
    ]
    refresh = router.post("/rest/login/refresh").respond(200, json=token_body("never"))
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    client = make_client()
    client.contacts.get(7)
    clock.advance(4000)
    client.contacts.get(7)
    assert refresh.call_count == 0 and login.call_count == 2
    assert contact.calls.last.request.headers["Authorization"] == "Bearer second"


def test_a_failed_refresh_falls_back_to_login(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    login = router.post("/rest/login")
    login.side_effect = [
        httpx.Response(200, json=token_body("first", expires_in=3600)),
        httpx.Response(200, json=token_body("second")),
    ]
    router.post("/rest/login/refresh").respond(401)
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    client = make_client()
    client.contacts.get(7)
    clock.advance(3300)
    client.contacts.get(7)
    assert contact.calls.last.request.headers["Authorization"] == "Bearer second"


def test_close_logs_out_and_forgets_the_token(
    router: respx.MockRouter, login_route: respx.Route, make_client: MakeClient
) -> None:
    router.get(CONTACT).respond(200, json={"id": 7})
    logout = router.post("/rest/logout").respond(200, json={})
    store = MemoryTokenStore()
    client = make_client(token_store=store)
    client.contacts.get(7)
    client.close()
    assert logout.calls.last.request.headers["Authorization"] == "Bearer tok-1"
    assert store.load(make_config().user_key) is None


def test_a_waiting_process_uses_the_old_token_while_another_renews(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    router.post("/rest/login").respond(200, json=token_body("first", expires_in=3600))
    contact = router.get(CONTACT).respond(200, json={"id": 7})
    store = MemoryTokenStore()
    client = make_client(token_store=store)
    client.contacts.get(7)
    clock.advance(3300)
    user = make_config().user_key
    assert store.try_lease(user, "another-process", clock.now(), 30)
    other = make_client(token_store=store)
    other.contacts.get(7)
    assert contact.calls.last.request.headers["Authorization"] == "Bearer first"


def test_a_short_lived_token_is_not_renewed_on_every_call(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    login = router.post("/rest/login").respond(200, json=token_body("short", expires_in=60))
    refresh = router.post("/rest/login/refresh").respond(200, json=token_body("next", 60))
    router.get(CONTACT).respond(200, json={"id": 7})
    client = make_client(make_config(refresh_before_expiry=600))
    for _ in range(5):
        client.contacts.get(7)
        clock.advance(5)
    assert login.call_count == 1 and refresh.call_count == 0
    clock.advance(10)  # 35 s into a 60 s life: past half-time, renew
    client.contacts.get(7)
    assert refresh.call_count == 1
