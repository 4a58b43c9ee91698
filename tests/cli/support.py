"""Running ``plentysync`` as a sysadmin does: a real process with its own data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env.update(extra or {})
    env["PLENTYSYNC_HOME"] = str(home)
    return env


def plentysync(
    home: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``plentysync *args`` in a process of its own; ``env`` adds variables (secrets)."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=_env(home, env),
        input=stdin,
        timeout=timeout,
        cwd=ROOT,
    )


def start_plentysync(home: Path, *args: str) -> subprocess.Popen[str]:
    """``plentysync`` running in the background, for a test that interrupts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(home),
        cwd=ROOT,
    )


def add_sandbox_client(home: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``client add`` for the PlentyONE sandbox's default user."""
    return plentysync(
        home,
        *["client", "add", "--name", "erp", "--username", "api-user", "--url", url, *extra],
        env={"PLENTYSYNC_CLIENT_PASSWORD": "api-password"},
    )


@contextmanager
def small_sandboxes() -> Iterator[tuple[RunningServer, RunningServer]]:
    """Both emulators with a shop of ten customers: (PlentyONE, Magento)."""
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=10, seed=3, orders=0))) as shop,
    ):
        yield plenty, shop


def set_up_profile(home: Path, plenty: RunningServer, shop: RunningServer, *sets: str) -> None:
    """Client ``erp``, source ``shop`` and a runnable profile ``eu`` on the sandboxes."""
    assert add_sandbox_client(home, plenty.base_url).returncode == 0
    steps = [
        [
            *["source", "add", "--name", "shop", "--namespace", "shop-eu", "--url", shop.base_url],
        ],
        ["profile", "create", "--name", "eu", "--client", "erp", "--source", "shop"],
        ["customer", "collect-config", "--client-id", "erp", "--source-id", "shop"],
        [
            *["profile", "edit", "eu", "--set", "store.referrer_id=1", "--set"],
            'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]',
            *["--set", "schedule.status=false"],
            *(arg for value in sets for arg in ("--set", value)),
        ],
    ]
    for args in steps:
        done = plentysync(home, *args, env={"PLENTYSYNC_SOURCE_TOKEN": DEFAULT_INTEGRATION_TOKEN})
        assert done.returncode == 0, (args, done.stderr)
