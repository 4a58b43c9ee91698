"""Shared fixtures for the PlentyONE client tests: a fake clock, a cipher, configs, clients."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import respx
from cryptography.fernet import Fernet, MultiFernet

from core.plenty import Budget, PlentyClient, PlentyConfig, RetryPolicy, Timeouts
from core.secrets import Secret

BASE = "https://p1234.my.plentysystems.test"
TOKEN_BODY = {
    "token_type": "Bearer",
    "expires_in": 86400,
    "access_token": "tok-1",
    "refresh_token": "ref-1",
    "tokenType": "Bearer",
    "expiresIn": 86400,
    "accessToken": "tok-1",
    "refreshToken": "ref-1",
}


class FakeClock:
    """A clock that only moves when someone sleeps (or a test advances it)."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cipher() -> MultiFernet:
    return MultiFernet([Fernet(Fernet.generate_key())])


def make_config(**changes: Any) -> PlentyConfig:
    values: dict[str, Any] = {
        "base_url": BASE,
        "username": "api-user",
        "password": Secret("s3cret-pw"),
        "budget": Budget(200, 80, 166_000, 48_000),
        "retry": RetryPolicy(attempts=3, base_delay=0.5, max_delay=4.0),
        "timeouts": Timeouts(connect=1, read=1, write=1, pool=1),
    }
    values.update(changes)
    return PlentyConfig(**values)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def login_route(router: respx.MockRouter) -> respx.Route:
    return router.post("/rest/login").respond(200, json=TOKEN_BODY)


@pytest.fixture
def make_client(clock: FakeClock, cipher: MultiFernet) -> Iterator[Callable[..., PlentyClient]]:
    made: list[PlentyClient] = []

    def factory(config: PlentyConfig | None = None, **kwargs: Any) -> PlentyClient:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("cipher", cipher)
        client = PlentyClient(config or make_config(), **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close(logout=False)
