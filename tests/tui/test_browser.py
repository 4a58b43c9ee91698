"""The served TUI in headless Chromium (Debian's package), with the network cut off.

The browser opens the page, its script opens the tab's socket, the tab's TUI draws the
dashboard into the page's terminal. What the page shows is checked twice: the browser's own
screenshot is kept beside the test's files, and a key typed into the page (``S``) makes the
tab's app save an SVG of its screen, whose text must be the dashboard's.
"""

from __future__ import annotations

import asyncio
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.tui.browser import Browser, chromium
from tests.tui.conftest import Demo
from tests.tui.test_serve_tabs import Served

pytestmark = [
    pytest.mark.slow,
    pytest.mark.anyio,
    pytest.mark.skipif(chromium() is None, reason="chromium is not installed (CI installs it)"),
]


async def _until(condition: object, timeout: float, what: str) -> None:
    ends = time.monotonic() + timeout
    while not await condition():  # type: ignore[operator]
        if time.monotonic() > ends:
            pytest.fail(f"{what} not seen within {timeout} s")
        await asyncio.sleep(0.25)


async def test_headless_chromium_shows_the_dashboard(demo: Demo, tmp_path: Path) -> None:
    served = Served(tmp_path)
    executable = chromium()
    assert executable is not None
    try:
        async with Browser(executable, width=1000, height=620) as browser:
            await browser.open(served.url)

            async def drawn() -> bool:
                return "-first-byte" in (await browser.evaluate("document.body.className") or "")

            await _until(drawn, 60, "the terminal's first frame")
            await asyncio.sleep(1.5)  # the dashboard's first poll
            shot = await browser.screenshot(tmp_path / "browser-dashboard.png")
            await browser.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            await browser.type_key("S")

            async def saved() -> bool:
                return bool(list(tmp_path.glob("plentysync-*.svg")))

            await _until(saved, 30, "the tab's own screenshot")
            requests = list(browser.requests)
    finally:
        served.stop()
        served.kill()
    # Every request the page made went to the server; no other host was even tried.
    assert requests and all(urlsplit(url).netloc == urlsplit(served.url).netloc for url in requests)
    assert {urlsplit(url).path for url in requests} >= {"/", "/static/js/textual.js", "/ws"}
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", shot[16:24])
    assert (width, height) == (1000, 620)
    assert len(shot) > 15_000  # a drawn terminal, not the dark "opening" notice alone
    (svg,) = tmp_path.glob("plentysync-*.svg")
    text = svg.read_text().replace("&#160;", " ")
    for expected in ("Dashboard", "Runs", "attached", "demo", "idle", "Run"):
        assert expected in text, expected
    assert "Traceback" not in served.text()
