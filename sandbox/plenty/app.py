"""The PlentyONE emulator as a Starlette app, and the object that holds its running state."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.plenty import (
    inspect,
    routes_accounts,
    routes_addresses,
    routes_auth,
    routes_contact_options,
    routes_contacts,
    routes_reference,
)
from sandbox.plenty.auth import Sessions
from sandbox.plenty.config import SandboxConfig
from sandbox.plenty.faults import FaultInjector
from sandbox.plenty.limits import RateLimiter
from sandbox.plenty.protocol import ApiError, Call
from sandbox.plenty.router import Handler, build_routes
from sandbox.plenty.state import Store
from sandbox.plenty.stats import CallStats


class Emulator:
    """One emulated PlentyONE system: configuration, data, sessions, budgets, faults, stats.

    ``clock`` (monotonic seconds) drives token expiry and rate-limit periods, so tests can
    move time forward without sleeping.
    """

    def __init__(self, config: SandboxConfig, clock: Callable[[], float] = time.monotonic):
        self._config = config
        self._config_lock = threading.Lock()
        self.clock = clock
        self.store = Store(config.reference, config.timezone)
        self.sessions = Sessions(clock)
        self.limiter = RateLimiter(clock)
        self.faults = FaultInjector(config.faults)
        self.stats = CallStats()

    @property
    def config(self) -> SandboxConfig:
        return self._config

    def reconfigure(self, patch: dict[str, Any]) -> SandboxConfig:
        """Apply a partial configuration at run time; changed limits start fresh periods.

        Changed reference data replaces the seeded tables but keeps contacts and addresses.
        """
        with self._config_lock:
            updated = self._config.merged(patch)
            if updated.limits != self._config.limits:
                self.limiter.reset()
            if updated.faults.seed != self._config.faults.seed or "seed" in patch.get("faults", {}):
                self.faults.reseed(updated.faults.seed)
            if updated.reference != self._config.reference:
                with self.store.lock:
                    self.store.apply_reference(updated.reference)
            self._config = updated
            return updated

    def reset(self) -> None:
        """Forget all data, sessions, budgets and counts; keep the configuration."""
        with self._config_lock:
            self.store = Store(self._config.reference, self._config.timezone)
            self.sessions = Sessions(self.clock)
            self.limiter = RateLimiter(self.clock)
            self.faults = FaultInjector(self._config.faults)
            self.stats = CallStats()

    def run(self, handler: Handler, call: Call) -> Any:
        """Run one handler with the store locked, so each call sees and leaves it whole."""
        store = self.store
        with store.lock:
            return handler(self, call)


def create_app(
    config: SandboxConfig | None = None, *, clock: Callable[[], float] = time.monotonic
) -> Starlette:
    """Build the emulator app; its ``Emulator`` is at ``app.state.emulator``."""
    emulator = Emulator(config or SandboxConfig(), clock)
    endpoints = [
        *routes_auth.ENDPOINTS,
        *routes_contacts.ENDPOINTS,
        *routes_contact_options.ENDPOINTS,
        *routes_addresses.ENDPOINTS,
        *routes_accounts.ENDPOINTS,
        *routes_reference.ENDPOINTS,
    ]
    routes = [*inspect.routes(emulator), *build_routes(emulator, endpoints)]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error},  # type: ignore[dict-item]
    )
    app.state.emulator = emulator
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    # Unknown routes and wrong methods answer in the API's envelope, not Starlette's text.
    error = ApiError(exc.status_code, exc.detail or "Not Found")
    return JSONResponse(error.body(), status_code=exc.status_code)
