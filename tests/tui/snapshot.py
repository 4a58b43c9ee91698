"""Our own snapshot fixture: an SVG the app exports of itself, compared with a committed one.

pytest-textual-snapshot does not install beside pytest 9, and this is all we need of it: the
app runs under ``run_test`` at a fixed size, theme and clock; Rich's per-export class ids
(``terminal-1234-r5``) are normalised; the SVG must equal ``snapshots/<name>.svg``.
``PLENTYSYNC_UPDATE_SNAPSHOTS=1`` writes the baselines instead (do it on the baseline Python,
``BASELINE_PYTHON``: another version may render a glyph differently).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

SNAPSHOTS = Path(__file__).parent / "snapshots"
BASELINE_PYTHON = (3, 11)
UPDATE = os.environ.get("PLENTYSYNC_UPDATE_SNAPSHOTS") == "1"


def normalise(svg: str) -> str:
    """The SVG without what changes from one export to the next."""
    return re.sub(r"terminal-\d+", "terminal", svg)


def assert_snapshot(svg: str, name: str) -> None:
    """Compare with the committed baseline, or write it under ``PLENTYSYNC_UPDATE_SNAPSHOTS``."""
    path = SNAPSHOTS / f"{name}.svg"
    got = normalise(svg)
    if UPDATE:
        if sys.version_info[:2] != BASELINE_PYTHON:
            pytest.skip(f"snapshots are updated on Python {BASELINE_PYTHON} only")
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no baseline {path.name}: run with PLENTYSYNC_UPDATE_SNAPSHOTS=1")
    if path.read_text(encoding="utf-8") != got:
        failed = path.with_suffix(".actual.svg")
        failed.write_text(got, encoding="utf-8")
        pytest.fail(f"{path.name} differs from what the app shows now; see {failed}")


async def settled_screenshot(pilot: Any, app: App[Any], title: str, tries: int = 25) -> str:
    previous = None
    svg = ""
    for _ in range(tries):
        await pilot.pause(0.1)
        svg = app.export_screenshot(title=title)
        footers_filled = all(footer.query(FooterKey) for footer in app.screen.query(Footer))
        if footers_filled and previous is not None and normalise(svg) == normalise(previous):
            return svg
        previous = svg
    return svg
