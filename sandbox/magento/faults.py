"""Injected latency, server errors and throttling on ``/rest`` routes, plus call counting."""

from __future__ import annotations

import asyncio
import random
import re
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.magento.errors import MagentoError
from sandbox.magento.state import SandboxState

INTERNAL_ERROR = "Internal Error. Details are available in Magento log file. Report ID: webapi-%1"
_STORE_PREFIX = re.compile(r"^/rest(?:/[^/]+)?(?=/V1/)")
_NUMBER = re.compile(r"/\d+(?=/|$)")


def route_of(method: str, path: str) -> str:
    """A route label for counting: ``GET /V1/customers/{id}`` (store code dropped)."""
    return f"{method} {_NUMBER.sub('/{id}', _STORE_PREFIX.sub('', path))}"


class FaultInjection:
    """ASGI middleware: counts every call and, on ``/rest``, delays or fails some of them."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state
        self._rng = random.Random(state.config.faults.seed)
        self._seeded_for = state.config.faults

    def _fault(self) -> MagentoError | None:
        faults = self.state.config.faults
        if faults is not self._seeded_for:  # reconfigured: restart the fault sequence
            self._rng = random.Random(faults.seed)
            self._seeded_for = faults
        draw = self._rng.random()
        if draw < faults.throttle_rate:
            return MagentoError(
                faults.throttle_status,
                "Too many requests. Please try again later.",
                headers={"Retry-After": str(faults.retry_after_seconds)},
            )
        if draw < faults.throttle_rate + faults.error_rate:
            status = self._rng.choice((500, 502, 503))
            return MagentoError(status, INTERNAL_ERROR, [secrets.token_hex(8)])
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        route = route_of(scope["method"], path)
        status_seen = 0

        async def counting_send(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
            await send(message)

        if path.startswith("/rest/"):
            faults = self.state.config.faults
            delay = faults.latency_ms + self._rng.uniform(0, faults.jitter_ms)
            if delay > 0:
                await asyncio.sleep(delay / 1000)
            error = self._fault()
            if error is not None:
                await error.response()(scope, receive, counting_send)
                self.state.count_call(route, status_seen)
                return
        try:
            await self.app(scope, receive, counting_send)
        finally:
            if not path.startswith("/_sandbox/"):
                self.state.count_call(route, status_seen)
