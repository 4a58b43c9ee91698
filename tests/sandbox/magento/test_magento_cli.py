"""``plentysync sandbox magento`` serves in the foreground and prints where."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from sandbox.server import free_port


def test_command_serves_with_the_given_token_and_prints_its_url() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "sandbox",
            "magento",
            "--port",
            str(port),
            "--customers",
            "12",
            "--seed",
            "4",
            "--token",
            "cli-test-token",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline().strip()
        assert first_line == f"Magento sandbox: http://127.0.0.1:{port}/rest/V1/"
        url = f"http://127.0.0.1:{port}/rest/V1/customers/search?searchCriteria="
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url, headers={"Authorization": "Bearer cli-test-token"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the sandbox did not start listening"
                time.sleep(0.05)
        assert response.status_code == 200
        assert response.json()["total_count"] == 12
        refused = httpx.get(url, headers={"Authorization": "Bearer sandbox-integration-token"})
        assert refused.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
