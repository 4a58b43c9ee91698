"""The served page loads with the network cut off: every resource comes from our server."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import aiohttp
import pytest
from aiohttp import web

from tui.web.server import TuiWebServer

pytestmark = pytest.mark.anyio

# Attributes and CSS that make a browser fetch something.
LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""")
ABSOLUTE = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\[\]:-]+""")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


async def _serving() -> tuple[web.AppRunner, str]:
    server = TuiWebServer("true", "127.0.0.1", 0)
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/"


def _outside(text: str, own_host: str) -> list[str]:
    found = []
    for match in ABSOLUTE.finditer(text):
        if urlsplit(match.group(0)).netloc != own_host:
            found.append(match.group(0))
    return found


async def test_the_page_and_everything_it_loads_come_from_the_server() -> None:
    runner, page = await _serving()
    own_host = urlsplit(page).netloc
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(page) as answer:
                assert answer.status == 200
                html = await answer.text()
            assert _outside(html, own_host) == []
            loaded: dict[str, str] = {}
            pending = [
                urljoin(page, a or b)
                for a, b in LINKS.findall(html)
                if not (a or b).startswith("#")
            ]
            while pending:
                url = pending.pop()
                if url in loaded:
                    continue
                assert urlsplit(url).netloc == own_host, url
                async with http.get(url) as answer:
                    assert answer.status == 200, url
                    body = await answer.read()
                kind = answer.headers.get("Content-Type", "")
                text = body.decode("utf-8", "replace") if "font" not in kind else ""
                loaded[url] = kind
                if url.endswith(".css"):
                    text = CSS_COMMENT.sub("", text)  # licence notes, never fetched
                    pending += [urljoin(url, a or b) for a, b in LINKS.findall(text)]
                if url.endswith((".css", ".js")):
                    assert _outside(text, own_host) == [], url
    finally:
        await runner.cleanup()
    names = {urlsplit(url).path for url in loaded}
    assert names >= {
        "/static/js/textual.js",
        "/static/css/xterm.css",
        "/static/fonts/RobotoMono-VariableFont_wght.ttf",
    }
    # The socket's address is built from the page's own location (tunnels forward any port).
    assert "ws://" not in html and "window.location.host" in html


async def test_textual_serves_own_template_would_reach_out() -> None:
    """The guard above catches what we replaced: the bundled page loads Google's font CSS."""
    import textual_serve

    from tui.web.server import BUNDLED_STATIC

    bundled = (BUNDLED_STATIC.parent / "templates" / "app_index.html").read_text()
    assert textual_serve is not None
    assert "fonts.googleapis.com" in " ".join(_outside(bundled, "127.0.0.1"))
