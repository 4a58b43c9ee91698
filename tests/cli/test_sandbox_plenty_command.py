"""``plentysync sandbox plenty`` serves the emulator with the options it was given."""

from __future__ import annotations

import time

import httpx

from sandbox.server import free_port
from tests.cli.support import serving_sandbox


def test_command_serves_with_given_credentials_and_limits() -> None:
    port = free_port()
    with serving_sandbox(
        "plenty",
        "--port",
        str(port),
        "--username",
        "demo",
        "--password",
        "demo-pw",
        "--plan",
        "basic",
        "--write-limit",
        "5",
        "--window-s",
        "10",
    ) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first_line
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                login = httpx.post(
                    f"{base}/rest/login", json={"username": "demo", "password": "demo-pw"}
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox did not start"
                time.sleep(0.1)
        assert login.status_code == 200
        token = login.json()["accessToken"]
        answer = httpx.get(f"{base}/rest/webstores", headers={"Authorization": f"Bearer {token}"})
        assert answer.headers["X-Plenty-Global-Short-Period-Limit"] == "80"
        assert answer.headers["X-Plenty-Global-Short-Period-Decay"] == "10"
        write = httpx.post(f"{base}/rest/logout", headers={"Authorization": f"Bearer {token}"})
        assert write.status_code == 200
        refused = httpx.post(
            f"{base}/rest/login", json={"username": "api-user", "password": "api-password"}
        )
        assert refused.status_code == 401
