"""Retries, rate-limit answers and error mapping of the client (respx, fake clock)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import respx

from core.errors import (
    ConfigError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    ValidationError,
    WriteTimeoutError,
)
from core.plenty import PlentyClient
from tests.core.plenty.conftest import FakeClock, make_config

MakeClient = Callable[..., PlentyClient]
CONTACTS = "/rest/accounts/contacts"
CONTACT = "/rest/accounts/contacts/7"
NEW_CONTACT = {"typeId": 1, "referrerId": 1.0, "firstName": "Jane"}

pytestmark = pytest.mark.usefixtures("login_route")


def test_429_waits_retry_after_then_succeeds(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.get(CONTACT)
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "3"}, json={"error": {"message": "x"}}),
        httpx.Response(200, json={"id": 7}),
    ]
    client = make_client()
    assert client.contacts.get(7).id == 7
    assert route.call_count == 2
    assert 3 in clock.sleeps
    assert client.calls.rate_limited == 1 and client.calls.read == 2


def test_a_long_retry_after_is_handed_to_the_caller(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.post(CONTACTS).respond(429, headers={"Retry-After": "120"})
    client = make_client(make_config(max_wait=30))
    with pytest.raises(RateLimitedError) as caught:
        client.contacts.create(NEW_CONTACT)
    assert caught.value.retry_after == pytest.approx(120)
    assert route.call_count == 1 and clock.sleeps == []


def test_a_run_of_429s_hands_back_the_retry_after_not_a_window(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.post(CONTACTS).respond(429, headers={"Retry-After": "2"})
    client = make_client(make_config(window=60.0))
    with pytest.raises(RateLimitedError) as caught:
        client.contacts.create(NEW_CONTACT)
    assert caught.value.retry_after == pytest.approx(2)
    assert route.call_count == client.config.retry.max_rate_limited + 1


def test_server_errors_on_reads_are_retried_a_bounded_number_of_times(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.get(CONTACT).respond(500, json={"error": {"message": "boom"}})
    with pytest.raises(TransientError, match="HTTP 500"):
        make_client().contacts.get(7)
    assert route.call_count == 3
    assert len(clock.sleeps) == 2
    assert 0.25 <= clock.sleeps[0] <= 0.5 and 0.5 <= clock.sleeps[1] <= 1.0


def test_a_read_recovers_after_a_transient_failure(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACT)
    route.side_effect = [httpx.ReadTimeout("slow"), httpx.Response(200, json={"id": 7})]
    assert make_client().contacts.get(7).id == 7
    assert route.call_count == 2


def test_a_timed_out_create_is_never_repeated(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post(CONTACTS).mock(side_effect=httpx.ReadTimeout("slow"))
    client = make_client()
    with pytest.raises(WriteTimeoutError) as caught:
        client.contacts.create(NEW_CONTACT)
    assert caught.value.method == "POST" and caught.value.path == CONTACTS
    assert route.call_count == 1
    assert client.calls.write == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_an_ambiguous_server_error_on_a_create_is_never_repeated(
    status: int, router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post(CONTACTS).respond(status)
    with pytest.raises(WriteTimeoutError):
        make_client().contacts.create(NEW_CONTACT)
    assert route.call_count == 1


def test_a_create_refused_with_503_or_never_connected_is_sent_again(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post(CONTACTS)
    route.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(503),
        httpx.Response(200, json={"id": 9}),
    ]
    assert make_client().contacts.create(NEW_CONTACT).id == 9
    assert route.call_count == 3


def test_updates_are_retried_on_server_errors_but_not_after_timeouts(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.put(CONTACT)
    route.side_effect = [httpx.Response(502), httpx.Response(200, json={"id": 7})]
    client = make_client()
    assert client.contacts.update(7, {"firstName": "J"}).id == 7
    route.side_effect = [httpx.ReadTimeout("slow")]
    with pytest.raises(WriteTimeoutError):
        client.contacts.update(7, {"firstName": "J"})
    assert route.call_count == 3


def test_malformed_json_on_a_read_is_retried_then_transient(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACT).respond(
        200, content=b"<html>oops", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(TransientError, match="unreadable"):
        make_client().contacts.get(7)
    assert route.call_count == 3


def test_malformed_json_after_a_create_is_a_write_timeout(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post(CONTACTS).respond(200, content=b'{"id": 9,')
    with pytest.raises(WriteTimeoutError):
        make_client().contacts.create(NEW_CONTACT)
    assert route.call_count == 1


def test_validation_errors_name_their_fields(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.post(CONTACTS).respond(
        422,
        json={
            "error": {"message": "validation error found"},
            "validation_errors": {
                "typeId": ["The type id field is required."],
                "referrerId": ["The referrer id field is required."],
            },
        },
    )
    with pytest.raises(ValidationError) as caught:
        make_client().contacts.create({"firstName": "Jane"})
    assert caught.value.fields == {
        "typeId": ["The type id field is required."],
        "referrerId": ["The referrer id field is required."],
    }
    assert "typeId" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFoundError), (409, ConflictError), (403, ConfigError)],
)
def test_client_errors_map_to_typed_errors(
    status: int, error: type[Exception], router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACT).respond(status, json={"error": {"message": "no", "code": status}})
    with pytest.raises(error):
        make_client().contacts.get(7)
    assert route.call_count == 1


def test_calls_are_counted_by_kind(router: respx.MockRouter, make_client: MakeClient) -> None:
    router.get(CONTACT).respond(200, json={"id": 7})
    router.put(CONTACT).respond(200, json={"id": 7})
    router.delete(CONTACT).respond(200)
    client = make_client()
    client.contacts.get(7)
    client.contacts.update(7, {"lastName": "Doe"})
    client.contacts.delete(7)
    counts = client.calls
    assert (counts.read, counts.write, counts.total, counts.logins) == (1, 2, 3, 1)
