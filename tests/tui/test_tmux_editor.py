"""The profile editor in an 80x24 tmux pane: its tabs change with ``alt+→``/``alt+←`` as a
real terminal sends them (escape sequences, not the pilot's key names), and the footer
beside a focused row editor still shows ``^s Save``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.tui.test_tmux import ROOT, Pane, pane

__all__ = ["pane"]  # the fixture, used by name
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.slow,  # some 15 s: the demo starts its sandboxes
]


def test_alt_arrows_change_the_editor_tabs_in_a_terminal(pane: Pane, tmp_path: Path) -> None:
    env = f"PYTHONPATH={ROOT} TERM=xterm-256color"
    pane.start(
        f"cd {tmp_path} && env {env} {sys.executable} -m cli.main tui --demo --customers 5 "
        f"; echo $? > {pane.exit_file}; sleep 60"
    )
    pane.wait_for("· idle")
    pane.keys("4")
    pane.wait_for("✓ runnable")
    pane.keys("e")
    pane.wait_for("PlentyONE client")
    pane.keys("M-Right")
    pane.wait_for("When the profile runs by itself", timeout=20)
    pane.keys("M-Right")
    pane.wait_for("How the export writes to PlentyONE", timeout=20)
    pane.keys("M-Right")
    screen = pane.wait_for("Which stores are exported", timeout=20)
    screen = pane.wait_for("alt+n Add row", timeout=20)  # the store mapping has the focus
    footer = screen.rstrip("\n").splitlines()[-1]
    assert "^s Save" in footer and "esc Back" in footer, footer
    pane.keys("M-Left")
    pane.wait_for("How the export writes to PlentyONE", timeout=20)
    for screen in pane.screens:
        assert "Traceback" not in screen, screen
