"""Helpers for the PlentyONE emulator tests: a fake clock and a small API client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx

from sandbox.server import RunningServer

USER, PASSWORD = "api-user", "api-password"


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self._now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


class Api:
    """An httpx client against one emulator, with helpers for logging in and controls."""

    def __init__(self, server: RunningServer) -> None:
        self.base_url = server.base_url
        self.http = httpx.Client(base_url=server.base_url, timeout=10)
        self.token: str | None = None

    def login(self, username: str = USER, password: str = PASSWORD) -> str:
        response = self.http.post("/rest/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.token = str(response.json()["access_token"])
        return self.token

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.call("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call and insist on a 200; returns the JSON body (None when empty)."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == 200, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    def configure(self, patch: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post("/_sandbox/config", json=patch)
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self) -> dict[str, Any]:
        return self.http.get("/_sandbox/stats").json()

    def create_contact(self, **fields: Any) -> dict[str, Any]:
        body = {"typeId": 1, "referrerId": 1, **fields}
        return self.ok("POST", "/rest/accounts/contacts", json=body)


StartEmulator = Callable[..., Api]


def email_option(value: str) -> dict[str, Any]:
    return {"typeId": 2, "subTypeId": 4, "value": value}
