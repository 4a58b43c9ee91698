"""Tokens revoked or expired in the middle of one call, against the PlentyONE sandbox over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet, MultiFernet

from core.plenty import Budget, MemoryTokenStore, PlentyClient, PlentyConfig, RetryPolicy
from core.secrets import Secret
from sandbox.plenty import RateLimits, SandboxConfig, create_app
from sandbox.server import RunningServer, serve_in_thread


@pytest.fixture
def plenty() -> Iterator[RunningServer]:
    limits = RateLimits(short_read=10_000, short_write=10_000, short_period_s=1.0)
    with serve_in_thread(create_app(SandboxConfig(limits=limits, max_sessions=1))) as server:
        yield server


def control(server: RunningServer, path: str, **body: Any) -> None:
    httpx.post(f"{server.base_url}/_sandbox/{path}", json=body).raise_for_status()


class Administered(httpx.BaseTransport):
    """The network, with a PlentyONE administrator acting before or after chosen exchanges."""

    def __init__(
        self,
        before: Callable[[httpx.Request], None] = lambda request: None,
        after: Callable[[httpx.Response], None] = lambda response: None,
    ) -> None:
        self._inner = httpx.HTTPTransport()
        self._before, self._after = before, after

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._before(request)
        response = self._inner.handle_request(request)
        self._after(response)
        return response

    def close(self) -> None:
        self._inner.close()


def _client(server: RunningServer, transport: httpx.BaseTransport) -> PlentyClient:
    config = PlentyConfig(
        base_url=server.base_url,
        username="api-user",
        password=Secret("api-password"),
        budget=Budget(10_000, 10_000, 10**7, 10**7),
        share=1.0,
        window=1.0,
        retry=RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.2),
        logout_on_close=False,
    )
    return PlentyClient(
        config,
        transport=transport,
        token_store=MemoryTokenStore(),
        cipher=MultiFernet([Fernet(Fernet.generate_key())]),
    )


def _sessions(server: RunningServer) -> dict[str, Any]:
    stats = httpx.get(f"{server.base_url}/_sandbox/stats").json()
    return stats["sessions"]  # type: ignore[no-any-return]


def test_a_429_storm_with_the_token_revoked_twice_still_creates_the_contact(
    plenty: RunningServer,
) -> None:
    control(plenty, "rate-limits/burst", count=4)
    limited: list[int] = []

    def revoke_on_first_and_third_429(response: httpx.Response) -> None:
        if response.status_code == 429:
            limited.append(429)
            if len(limited) in (1, 3):
                control(plenty, "tokens/revoke")

    with _client(plenty, Administered(after=revoke_on_first_and_third_429)) as client:
        created = client.contacts.create({"typeId": 1, "referrerId": 1, "lastName": "Storm"})
        assert client.calls.logins == 3 and client.calls.rate_limited == 4
    contacts = httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()
    assert [c["id"] for c in contacts] == [created.id]
    sessions = _sessions(plenty)
    assert sessions["logins"] == 3
    # Every new login replaced a revoked token: never more than the one session allowed.
    assert sessions["max_concurrent_sessions"] == 1 and sessions["max_live_tokens"] == 1


def test_a_call_survives_its_token_expiring_before_every_try(plenty: RunningServer) -> None:
    expiries: list[str] = []

    def expire_before_five_calls(request: httpx.Request) -> None:
        if request.url.path.startswith("/rest/accounts") and len(expiries) < 5:
            expiries.append(request.url.path)
            control(plenty, "tokens/expire")

    with _client(plenty, Administered(before=expire_before_five_calls)) as client:
        assert client.contacts.find_by_external_id("shop:c:1") == []
        assert len(expiries) == 5 and client.calls.logins == 6
    assert _sessions(plenty)["max_concurrent_sessions"] == 1
