"""How ``customer export`` ends for cron and for a person: its exit status and its last line."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import Faults, RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread
from tests.cli.support import add_sandbox_client, plentysync, start_plentysync


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Path, RunningServer]]:
    """A runnable profile 'eu' whose PlentyONE answers every write slowly."""
    limits = RateLimits(short_read=50_000, short_write=50_000)
    slow = Faults(latency_ms=150)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits, faults=slow))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=60, seed=4))) as magento,
    ):
        home = tmp_path / "data"
        limits_args = ["--read-limit", "50000", "--write-limit", "50000"]
        assert add_sandbox_client(home, plenty.base_url, *limits_args).returncode == 0
        steps = [
            ["source", "add", "--name", "shop", "--namespace", "shop-eu",
             "--token", DEFAULT_INTEGRATION_TOKEN, "--url", magento.base_url],
            ["customer", "collect-config", "--client-id", "erp", "--source-id", "shop"],
            ["profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
             "--set", "schedule.status=false", "--set", "store.referrer_id=1",
             "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]'],
        ]  # fmt: skip
        for step in steps:
            done = plentysync(home, *step)
            assert done.returncode == 0, done.stderr
        yield home, plenty


def _contacts(plenty: RunningServer) -> int:
    return len(httpx.get(f"{plenty.base_url}/_sandbox/contacts").json())


def test_ctrl_c_says_what_was_done_and_how_to_resume(
    home: tuple[Path, RunningServer],
) -> None:
    data, plenty = home
    export = start_plentysync(data, "customer", "export", "--profile-id", "eu")
    deadline = time.monotonic() + 60
    while _contacts(plenty) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert export.poll() is None, export.communicate()
    export.send_signal(signal.SIGINT)
    _, stderr = export.communicate(timeout=60)
    assert export.returncode == 130, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("interrupted: run 1 stopped after ")
    assert "'plentysync run resume 1'" in lines[0]

    runs = json.loads(plentysync(data, "run", "list", "--json").stdout)
    assert runs[0]["status"] == "cancelled"
    recorded = sum(runs[0][k] for k in ("created", "updated", "unchanged", "skipped", "failed"))
    assert f"stopped after {recorded} of {runs[0]['total']} customers" in lines[0]
    assert f"{runs[0]['created']} created" in lines[0]
    resumed = plentysync(data, "run", "resume", "1")
    assert resumed.returncode == 0 and "run 1 resumed" in resumed.stdout, resumed.stderr
