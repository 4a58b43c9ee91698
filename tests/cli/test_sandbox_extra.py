"""Without the ``sandbox`` extra the command still works and names the extra where it is needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Runs the command in a fresh interpreter in which the extra's modules cannot be imported.
WITHOUT_EXTRA = """
import sys
for name in ("faker", "starlette", "uvicorn"):
    sys.modules[name] = None
sys.argv = ["plentysync", *sys.argv[1:]]
from cli.main import main
main()
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args", [("demo",), ("demo", "--help"), ("sandbox", "plenty", "--port", "0"), ("sandbox",)]
)
def test_a_command_that_needs_the_extra_says_so_in_one_line(args: tuple[str, ...]) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: this command needs the sandbox extra: pip install 'plentysync[sandbox]'"
    ]


def test_the_rest_of_the_command_works_without_the_extra() -> None:
    help_text = _run("--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "status" in help_text.stdout and "customer" in help_text.stdout
    status = _run("status")
    assert status.returncode == 0, status.stderr
    assert "healthy" in status.stdout


def test_with_the_extra_installed_demo_is_the_real_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "demo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--customers" in result.stdout
