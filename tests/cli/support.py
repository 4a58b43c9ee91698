"""Running ``plentysync`` as a sysadmin does: a real process with its own data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env["PLENTYSYNC_HOME"] = str(home)
    return env


def plentysync(
    home: Path, *args: str, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=_env(home),
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
        *["client", "add", "--name", "erp", "--username", "api-user", "--password", "api-password"],
        "--url",
        url,
        *extra,
    )
