"""The web server of ``plentysync tui --serve``: one TUI process per browser tab.

It is textual-serve's ``Server`` with three changes: the page is our template (no font or
script from another host), the page's URLs are relative to whatever address the browser
used (an SSH tunnel may forward another local port), and logging is plain (no tracebacks
with local variables, which could hold secrets). Shutting down tells every tab's app to
quit and waits a bounded time for the connections to close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import textual_serve
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
# textual-serve's bundled terminal script, its stylesheet and the Roboto Mono font files.
BUNDLED_STATIC = Path(textual_serve.__file__).parent / "static"
# How long the server waits for open tabs to close once it was told to stop.
SHUTDOWN_TIMEOUT_S = 5.0
# How long a tab's app has to end after it was told to quit; then it is killed.
TAB_QUIT_TIMEOUT_S = 3.0


def page_url(host: str, port: int) -> str:
    """The address to open in a browser (IPv6 literals in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class TuiWebServer(Server):
    """Serves ``command`` (the TUI of one tab) on ``host:port`` with plentysync's page."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        *,
        title: str = "plentysync",
        announce: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=page_url(host, port).rstrip("/"),
            statics_path=BUNDLED_STATIC,
            templates_path=TEMPLATES,
        )
        self._announce = announce or (lambda line: None)
        self._sockets: set[web.WebSocketResponse] = set()

    def initialize_logging(self) -> None:
        """Leave logging to the command (no rich tracebacks with local variables)."""

    async def on_startup(self, app: web.Application) -> None:
        self._announce(f"plentysync TUI on {self.public_url}/ (Ctrl-C stops it)")

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's socket: its handler then tells the tab's app to quit."""
        for socket in list(self._sockets):
            with contextlib.suppress(Exception):
                await socket.close()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: its own TUI process, ended when the tab closes or reloads."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _cells(request.query.get("width", "80"), 80)
        height = _cells(request.query.get("height", "24"), 24)
        self._sockets.add(websocket)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=partial(_close, websocket),
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            log.info("a browser tab opened: its TUI process started")
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("a browser tab failed")
        finally:
            self._sockets.discard(websocket)
            if service is not None:
                await service.stop()
                await _reap(service)
                log.info("a browser tab closed: its TUI process ended")
        return websocket

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page; its links are relative so any forwarded address works."""
        return {
            "font_size": _font_size(request.query.get("fontsize", "16")),
            "static_url": "static/",
            "websocket_path": "ws",
            "title": self.title,
        }

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; then close the tabs and return."""
        self.debug = debug
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *args: None,
                shutdown_timeout=SHUTDOWN_TIMEOUT_S,
            )
        finally:
            asyncio.set_event_loop(None)


def _cells(text: str, default: int) -> int:
    try:
        return max(1, min(1000, int(text)))
    except ValueError:
        return default


def _font_size(text: str) -> int:
    try:
        return max(6, min(48, int(text)))
    except ValueError:
        return 16


async def _close(websocket: web.WebSocketResponse) -> None:
    await websocket.close()


async def _reap(service: AppService) -> None:
    """Wait for the tab's process to end (killing it after a bound) and close its pipes."""
    process = service._process  # textual-serve keeps it private; pinned to 1.1.3
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), TAB_QUIT_TIMEOUT_S)
    except TimeoutError:
        log.warning("a tab's TUI did not quit within %.0f s: killed", TAB_QUIT_TIMEOUT_S)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
    transport = getattr(process, "_transport", None)
    if transport is not None:
        transport.close()
