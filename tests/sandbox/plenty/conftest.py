"""Fixtures for the PlentyONE emulator tests: a server on loopback and a logged-in client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.plenty import SandboxConfig, create_app
from sandbox.server import RunningServer, serve_in_thread
from tests.sandbox.plenty.support import Api, FakeClock, StartEmulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def start_emulator(clock: FakeClock) -> Iterator[StartEmulator]:
    """Start an emulator with a given config (on the fake clock); stopped after the test."""
    servers: list[RunningServer] = []
    clients: list[Api] = []

    def start(config: SandboxConfig | None = None, *, real_clock: bool = False) -> Api:
        app = (
            create_app(config or SandboxConfig())
            if real_clock
            else create_app(config or SandboxConfig(), clock=clock)
        )
        server = serve_in_thread(app)
        servers.append(server)
        api = Api(server)
        clients.append(api)
        return api

    yield start
    for api in clients:
        api.http.close()
    for server in servers:
        server.stop()


@pytest.fixture
def api(start_emulator: StartEmulator) -> Api:
    """A default emulator with a logged-in client."""
    client = start_emulator()
    client.login()
    return client
