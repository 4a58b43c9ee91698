"""A test that sends plentysync Ctrl-C reaches it however the test run was started.

A script's background job (``make test > log &``, ``nohup``) runs with SIGINT ignored, and so
does every process below it: a plentysync started from there never sees the SIGINT a test
sends, so an interrupted export ran to its end (exit 3) and ``run follow`` never ended.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.cli.support import in_foreground, sigint_handled

SHOW_SIGINT = (
    "import signal; h = signal.getsignal(signal.SIGINT); "
    "print('ctrl-c' if h is signal.default_int_handler else 'ignored' if h == signal.SIG_IGN "
    "else h)"
)
PARENTS = {"ignores Ctrl-C": signal.SIG_IGN, "takes Ctrl-C": signal.default_int_handler}


def _sigint_of(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("parent", PARENTS)
def test_a_plain_child_keeps_what_its_parent_does_with_ctrl_c(parent: str) -> None:
    # The condition itself: a run started in the background passes "ignored" down.
    with sigint_handled(PARENTS[parent]):
        seen = _sigint_of([sys.executable, "-c", SHOW_SIGINT])
    assert seen == ("ignored" if parent == "ignores Ctrl-C" else "ctrl-c")


@pytest.mark.parametrize("parent", PARENTS)
def test_a_process_started_to_be_interrupted_takes_ctrl_c_whatever_its_parent(
    parent: str,
) -> None:
    with sigint_handled(PARENTS[parent]):
        assert _sigint_of(in_foreground([sys.executable, "-c", SHOW_SIGINT])) == "ctrl-c"
