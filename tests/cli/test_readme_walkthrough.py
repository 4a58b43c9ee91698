"""The README's configure-and-export walkthrough runs as written against the sandboxes.

The shell blocks between ``<!-- walkthrough:start -->`` and ``<!-- walkthrough:end -->`` are
run in one ``bash -e``, in a data directory of their own. The sandboxes are started with the
README's own commands, on free ports instead of the fixed ones it names; the walkthrough
reaches them through ``PLENTY_URL`` and ``SHOP_URL``, the variables the README sets.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from sandbox.server import free_port
from tests.cli.support import ROOT, serving_sandbox

README = ROOT / "README.md"
_BLOCK = re.compile(
    r"<!-- walkthrough:start -->\s*```sh\n(.*?)```\s*<!-- walkthrough:end -->", re.S
)


def walkthrough() -> str:
    """The walkthrough's shell lines, in README order."""
    return "\n".join(_BLOCK.findall(README.read_text()))


def sandbox_commands() -> list[list[str]]:
    """The README's ``plentysync sandbox ...`` lines that start the walkthrough's sandboxes."""
    configure = (
        README.read_text().split("## Configure\n", 1)[1].split("<!-- walkthrough:start", 1)[0]
    )
    return [
        shlex.split(line.rstrip("& "))[2:]
        for line in configure.splitlines()
        if line.startswith("plentysync sandbox ")
    ]


def wait_for_port(port: int, timeout: float = 30) -> None:
    """Return once something listens on the loopback ``port``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on port {port}"
            time.sleep(0.1)


@contextmanager
def readme_sandboxes() -> Iterator[dict[str, str]]:
    """The README's sandboxes, each on a free port: the URLs by the README's variable names."""
    urls: dict[str, str] = {}
    with ExitStack() as stack:
        for args in sandbox_commands():
            port = free_port()
            at = args.index("--port")
            args[at + 1] = str(port)
            stack.enter_context(serving_sandbox(*args))
            wait_for_port(port)
            urls["PLENTY_URL" if args[0] == "plenty" else "SHOP_URL"] = f"http://127.0.0.1:{port}"
        yield urls


def _bin(tmp_path: Path) -> Path:
    """A ``plentysync`` on PATH that runs this tree's command."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "plentysync"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} -m cli.main "$@"\n')
    script.chmod(0o755)
    return bin_dir


def test_the_readme_has_a_walkthrough_and_its_sandboxes() -> None:
    assert [args[0] for args in sandbox_commands()] == ["plenty", "magento"]
    text = walkthrough()
    steps = ("client add", "source add", "schedule add", "customer collect-config")
    for step in (*steps, "config show", "profile create", "customer export"):
        assert f"plentysync {step}" in text


@pytest.mark.slow  # about fifteen real plentysync processes against both sandboxes
def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env["PATH"] = f"{_bin(tmp_path)}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    env["PLENTYSYNC_HOME"] = str(home)
    script = f"set -e\ntrap 'echo \"failed: $BASH_COMMAND\" >&2' ERR\n{walkthrough()}"
    with readme_sandboxes() as urls:
        done = subprocess.run(
            ["bash", "-c", script], env={**env, **urls}, cwd=tmp_path,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        history = subprocess.run(
            ["plentysync", "history", "--profile", "eu", "--json"], env=env,
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    runs = json.loads(history.stdout)
    assert sum(run["created"] for run in runs) > 0, runs
