"""``plentysync tui --serve HOST:PORT``: the TUI in a browser, one app process per tab.

The served page has no authentication, so only loopback addresses are accepted; reach it
from elsewhere through an SSH tunnel. This process (the parent) holds the single-host
worker and scheduler for as long as it serves, as ``plentysync serve`` does, and every
browser tab runs ``plentysync tui`` in a process of its own that is attached to it. Closing
or reloading a tab ends only that tab's process: runs go on in the parent. SIGTERM or
Ctrl-C closes the tabs, then stops the worker within the TUI's bound.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import shlex
import signal
import sys
import threading
import time
from typing import NoReturn

import typer

from cli._common import INPUT_ERROR_EXIT, err
from tui.services import Mode, Services

log = logging.getLogger(__name__)

LOOPBACK_NAMES = ("localhost",)


def refuse(message: str) -> NoReturn:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(INPUT_ERROR_EXIT)


def loopback_address(address: str) -> tuple[str, int]:
    """``127.0.0.1:8566``, ``localhost:8566`` or ``[::1]:8566`` into (host, port).

    Anything that is not a loopback address is refused with one line and exit status 2:
    whoever reaches the page can run every action of the TUI.
    """
    host, sep, port_text = address.strip().rpartition(":")
    if not sep or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        refuse(f"--serve {address!r}: write HOST:PORT, e.g. 127.0.0.1:8566")
    host = host.removeprefix("[").removesuffix("]")
    if not is_loopback(host):
        refuse(
            f"--serve {address!r}: the served TUI has no authentication, so it only listens "
            "on loopback (127.0.0.1, localhost, ::1); reach it through an SSH tunnel"
        )
    return host, int(port_text)


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tab_command(*, viewer: bool, theme: str | None) -> str:
    """The shell command textual-serve runs for each browser tab.

    ``exec``: the tab's TUI is then the server's own child, so it can tell when the server
    is gone (``end_with_server``).
    """
    argv = [sys.executable, "-m", "cli.main", "tui", "--tab"]
    if viewer:
        argv.append("--viewer")
    if theme:
        argv += ["--theme", theme]
    return "exec " + shlex.join(argv)


def end_with_server(interval: float = 1.0) -> threading.Thread:
    """In a tab's process: hang up on ourselves once the serving process has gone.

    A server killed outright (SIGKILL, OOM) closes no socket and tells no tab to quit; the
    tab's TUI would be left running with nobody to draw for. SIGHUP is what the TUI already
    takes as "the terminal went away": it quits cleanly.
    """
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(interval)
        log.warning("the serving process has gone: this tab's TUI quits")
        os.kill(os.getpid(), signal.SIGHUP)

    watcher = threading.Thread(target=watch, name="server-watch", daemon=True)
    watcher.start()
    return watcher


class TabServices(Services):
    """The façade of one browser tab: it never works runs itself, the serving parent does.

    Were the tab to run an embedded worker, closing the tab would stop its runs. When no
    worker holds the data directory (the parent attached to a ``plentysync serve`` that has
    since stopped) the tab says "attached" and refuses to start runs, as the CLI would.
    """

    def detect_mode(self) -> Mode:
        mode = super().detect_mode()
        return "attached" if mode == "embedded" else mode

    def start_embedded(self) -> bool:
        return False


def serve_tui(address: str, *, viewer: bool, theme: str | None, stop_timeout: float) -> None:
    """Serve the TUI on ``address`` until SIGTERM or Ctrl-C (the data directory is open)."""
    from tui.web.server import TuiWebServer

    host, port = loopback_address(address)
    services = Services(viewer=viewer)
    mode = services.open()
    if services.start_embedded():
        err.print("the worker and the scheduler run in this process while it serves")
    elif mode == "attached":
        err.print("runs are worked by the 'plentysync serve' of this data directory")
    server = TuiWebServer(
        tab_command(viewer=viewer, theme=theme),
        host,
        port,
        announce=lambda line: err.print(line, markup=False),
    )
    try:
        server.serve()
    finally:
        if not services.stop_embedded(stop_timeout):
            err.print(
                f"the worker did not stop within {stop_timeout:.0f} s; its batch's lease "
                "expires and the next serve sends it again",
                markup=False,
            )
        else:
            err.print("stopped", markup=False)
