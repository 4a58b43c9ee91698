"""The client under 429 answers: how long it waits, what it slows, what it never repeats."""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from itertools import pairwise

import httpx
import pytest
import respx

from core.plenty import Budget, PlentyClient
from core.plenty._governor import FALLBACK_BLOCK
from tests.core.plenty.conftest import FakeClock, make_config

MakeClient = Callable[..., PlentyClient]
CONTACTS = "/rest/accounts/contacts"
CONTACT = "/rest/accounts/contacts/7"
NEW_CONTACT = {"typeId": 1, "referrerId": 1.0, "firstName": "Jane"}
CREATED = {"id": 7, "typeId": 1}

pytestmark = pytest.mark.usefixtures("login_route")


def _refused(**headers: str) -> httpx.Response:
    return httpx.Response(429, headers=headers, json={"error": {"message": "too many"}})


def test_a_429_without_any_header_waits_the_fallback_block_then_goes_on(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.get(CONTACT)
    route.side_effect = [_refused(), httpx.Response(200, json=CREATED)]
    client = make_client()
    assert client.contacts.get(7).id == 7
    assert route.call_count == 2
    assert clock.sleeps == [pytest.approx(FALLBACK_BLOCK)]


def test_an_unreadable_retry_after_falls_back_to_the_period_decay(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.get(CONTACT)
    route.side_effect = [
        _refused(
            **{
                "Retry-After": "soon",
                "X-Plenty-Global-Short-Period-Limit": "200",
                "X-Plenty-Global-Short-Period-Calls-Left": "0",
                "X-Plenty-Global-Short-Period-Decay": "9",
            }
        ),
        httpx.Response(200, json=CREATED),
    ]
    client = make_client()
    assert client.contacts.get(7).id == 7
    assert clock.sleeps == [pytest.approx(9)]


def test_a_retry_after_date_is_waited_until_that_moment(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    when = email.utils.formatdate(clock.now() + 4, usegmt=True)
    route = router.get(CONTACT)
    route.side_effect = [_refused(**{"Retry-After": when}), httpx.Response(200, json=CREATED)]
    client = make_client()
    assert client.contacts.get(7).id == 7
    assert clock.sleeps == [pytest.approx(4, abs=1)]


def test_a_refused_create_is_sent_again_and_makes_one_contact(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    # A 429 is an answer before any work: the create did not happen, so it is sent again.
    route = router.post(CONTACTS)
    route.side_effect = [_refused(**{"Retry-After": "1"}), httpx.Response(200, json=CREATED)]
    client = make_client()
    assert client.contacts.create(NEW_CONTACT).id == 7
    assert route.call_count == 2
    assert client.calls.write == 2 and client.calls.rate_limited == 1


def test_a_route_limit_429_blocks_that_route_and_slows_nothing_else(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    route = router.post(CONTACTS)
    route.side_effect = [
        _refused(
            **{
                "X-Plenty-Route-Limit": "10",
                "X-Plenty-Route-Calls-Left": "0",
                "X-Plenty-Route-Decay": "6",
            }
        ),
        httpx.Response(200, json=CREATED),
    ]
    router.put(CONTACT).respond(200, json=CREATED)
    client = make_client()
    assert client.contacts.create(NEW_CONTACT).id == 7
    assert clock.sleeps == [pytest.approx(6)]
    # Another write route was never refused: it goes at once, at the full pace.
    assert client.governor.slowdown["write"].cuts == 0
    client.contacts.update(7, {"firstName": "Janet"})
    assert clock.sleeps == [pytest.approx(6)]


def test_after_a_429_the_writes_go_on_at_a_slower_pace_instead_of_stopping(
    router: respx.MockRouter, make_client: MakeClient, clock: FakeClock
) -> None:
    # 60 % of 20 writes a minute: one every 5 s once the burst of two is spent.
    client = make_client(make_config(budget=Budget(200, 20, 166_000, 48_000), window=60.0))
    interval = 60.0 / 12
    answers = [httpx.Response(200, json=CREATED) for _ in range(4)]
    answers += [_refused(**{"Retry-After": "2"})]
    answers += [httpx.Response(200, json=CREATED) for _ in range(6)]
    route = router.post(CONTACTS)
    route.side_effect = answers
    sent: list[float] = []
    for _ in range(10):
        client.contacts.create(NEW_CONTACT)
        sent.append(clock.now())
    assert route.call_count == 11 and client.calls.rate_limited == 1
    gaps = [b - a for a, b in pairwise(sent)]
    # Before: the paced interval. Right after the 429: about 1 / CUT of it, never a window.
    assert gaps[2] == pytest.approx(interval)
    assert all(1.2 * interval < gap < 60.0 for gap in gaps[4:6])
    # Climbing back: the last gaps are shorter than the first slowed ones.
    assert gaps[-1] < gaps[4]
    assert sent[-1] - sent[0] < 3 * 60.0
