"""Serving an emulator: on a chosen port in the foreground, or on a free port in a thread."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """An emulator serving in a background thread; ``stop()`` shuts it down."""

    base_url: str
    server: uvicorn.Server
    thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _config(app: ASGIApp, port: int, log_level: str) -> uvicorn.Config:
    # Emulators listen on loopback only: they accept well-known test credentials.
    return uvicorn.Config(
        app,
        host=LOOPBACK,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
    )


def serve_in_thread(app: ASGIApp, port: int = 0, log_level: str = "warning") -> RunningServer:
    """Start ``app`` on loopback in a daemon thread and wait until it accepts connections."""
    port = port or free_port()
    server = uvicorn.Server(_config(app, port, log_level))
    thread = threading.Thread(target=server.run, name=f"sandbox-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the emulator did not start on {LOOPBACK}:{port}")
        time.sleep(0.01)
    return RunningServer(base_url=f"http://{LOOPBACK}:{port}", server=server, thread=thread)


def serve_forever(app: ASGIApp, port: int, log_level: str = "info") -> None:
    """Serve ``app`` on loopback in the foreground until interrupted."""
    uvicorn.Server(_config(app, port, log_level)).run()


def wait_until_listening(port: int, timeout: float = 60.0) -> bool:
    """Whether something accepts connections on ``LOOPBACK:port`` within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False
