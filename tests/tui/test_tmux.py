"""``plentysync tui --demo`` in an 80x24 tmux pane, driven as a person would.

Start a run with the keys the footer shows (``x``, then ``^s``), wait for done, quit with
``q``; the command exits 0 and no captured screen shows a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"
)


class Pane:
    """One tmux server of our own, so the session has this test's environment."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"plentysync-test-{uuid.uuid4().hex[:8]}"
        self.exit_file = tmp / "exit-status"
        self.screens: list[str] = []

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "tui", command)

    def capture(self) -> str:
        screen = self.tmux("capture-pane", "-p", "-t", "tui")
        self.screens.append(screen)
        return screen

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        ends = time.monotonic() + timeout
        while time.monotonic() < ends:
            if self.exit_file.exists():
                pytest.fail(f"the TUI ended while waiting for {text!r}:\n{self.screens[-1:]}")
            screen = self.capture()
            if text in screen:
                return screen
            time.sleep(0.3)
        pytest.fail(f"{text!r} never appeared; last screen:\n{self.screens[-1]}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "tui", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    created = Pane(tmp_path)
    yield created
    created.close()


def test_a_person_runs_the_demo_to_done_and_quits(pane: Pane, tmp_path: Path) -> None:
    env = f"PYTHONPATH={ROOT} TERM=xterm-256color"
    pane.start(
        f"cd {tmp_path} && env {env} {sys.executable} -m cli.main tui --demo --customers 20 "
        f"; echo $? > {pane.exit_file}; sleep 60"
    )
    screen = pane.wait_for("· idle")
    assert "x Run" in screen  # the footer names the key used next
    pane.keys("x")
    pane.wait_for("Start  ^s")
    pane.keys("C-s")
    pane.wait_for("· done ·", timeout=120)
    pane.keys("q")  # back to the dashboard
    pane.wait_for("1 Dashboard", timeout=10)
    pane.keys("q")  # quit: no run in flight, so no question
    ends = time.monotonic() + 30
    while not pane.exit_file.exists() and time.monotonic() < ends:
        time.sleep(0.2)
    pane.capture()
    assert pane.exit_file.exists(), "the TUI did not quit"
    assert pane.exit_file.read_text().strip() == "0", pane.screens[-1]
    # Textual draws on stderr, so what the process printed after the app ended is on the
    # last screen: no traceback there nor on any screen before.
    for screen in pane.screens:
        assert "Traceback" not in screen, screen
