"""``plentysync tui --serve`` as a browser uses it: tabs over a real socket, runs in the parent.

The served parent runs as its own process on loopback with the sandboxes behind it. A tab
is a websocket, as the browser's page opens it: it gets its own TUI process, keys go to it
as typed, the report it exports comes down ``/download``. Closing the tab in the middle of
a run ends only that tab's process; the run reaches done in the parent, and SIGTERM stops
the parent and its worker within the bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from core.db.models import Run
from core.services.connections import edit_client
from core.services.runs import RunSummary, run_summary
from core.settings import get_settings
from tests.tui.conftest import Demo, demo_on_sandboxes
from tui.app import STOP_TIMEOUT
from tui.services import RunRequest, Services
from tui.web.server import SHUTDOWN_TIMEOUT_S, TAB_QUIT_TIMEOUT_S
from worker.serve_lock import held_elsewhere

pytestmark = [pytest.mark.slow, pytest.mark.anyio]

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = 20
# CSI sequences, OSC strings, character-set choices and two-byte escapes.
ESCAPES = re.compile(
    rb"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|.)"
)


@pytest.fixture
def paced_demo(secret_key: None) -> Iterator[Demo]:
    """The demo profile on a budget slow enough that a run lasts several seconds."""
    with demo_on_sandboxes(CUSTOMERS, read_per_minute=1200, write_per_minute=600) as found:
        yield found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """The ``plentysync tui --serve`` process, its log and its address."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "served.log"
        self._output = self.log.open("wb")
        # A run a tab starts waits for the parent's next tick (10 s by default).
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PLENTYSYNC_WORKER_TICK_S": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "tui", "--serve", f"127.0.0.1:{self.port}"],
            cwd=workdir,
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        self.wait_for_log("plentysync TUI on", timeout=60)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, line: str, *, count: int = 1, timeout: float = 30) -> None:
        ends = time.monotonic() + timeout
        while self.text().count(line) < count:
            if self.process.poll() is not None:
                pytest.fail(f"the served TUI ended:\n{self.text()}")
            if time.monotonic() > ends:
                pytest.fail(f"{line!r} never logged:\n{self.text()}")
            time.sleep(0.1)

    def stop(self) -> float:
        """SIGTERM; how long the process took to end."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=STOP_TIMEOUT + SHUTDOWN_TIMEOUT_S + 30)
        return time.monotonic() - started

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._output.close()


class Tab:
    """One browser tab's socket: keys in, the screen's text (escapes removed) out."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.screen = b""
        self.since = 0  # where the output after the last key press starts
        self.messages: list[list[object]] = []

    async def read(self, timeout: float) -> None:
        try:
            message = await self.socket.receive(timeout=timeout)
        except TimeoutError:
            return
        if message.type == aiohttp.WSMsgType.BINARY:
            self.screen += ESCAPES.sub(b"", message.data)
        elif message.type == aiohttp.WSMsgType.TEXT:
            self.messages.append(json.loads(message.data))
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            pytest.fail("the tab's app ended")

    async def wait_for(self, text: str, timeout: float = 30) -> None:
        """Until ``text`` was drawn since the last key press."""
        ends = time.monotonic() + timeout
        while text.encode() not in self.screen[self.since :]:
            if time.monotonic() > ends:
                pytest.fail(f"{text!r} never shown; last output:\n{self.screen[-2000:]!r}")
            await self.read(0.2)

    async def wait_for_message(self, kind: str, timeout: float = 30) -> list[object]:
        ends = time.monotonic() + timeout
        while not any(m[0] == kind for m in self.messages):
            if time.monotonic() > ends:
                pytest.fail(f"no {kind!r} message; got {self.messages}")
            await self.read(0.2)
        return next(m for m in self.messages if m[0] == kind)

    async def press(self, keys: str) -> None:
        self.since = len(self.screen)
        await self.socket.send_json(["stdin", keys])


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll the database without blocking the loop (the tab's socket keeps being served)."""
    ends = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > ends:
            pytest.fail(f"{what} not reached in {timeout} s")
        await asyncio.sleep(0.2)


def summary(run_id: int) -> RunSummary:
    return run_summary(run_id)


def the_run() -> Run | None:
    return Run.select().order_by(Run.id.desc()).first()


async def test_closing_a_tab_mid_run_leaves_the_run_to_the_parent(
    paced_demo: Demo, tmp_path: Path
) -> None:
    served = Served(tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            ws_url = f"ws://127.0.0.1:{served.port}/ws?width=100&height=30"
            async with http.ws_connect(ws_url) as socket_:
                tab = Tab(socket_)
                await tab.wait_for("attached")
                await tab.wait_for("idle")
                await tab.press("x")
                await tab.wait_for("Start")
                await tab.press("\x13")  # ctrl+s starts the run the dialog describes
                await wait_until(lambda: the_run() is not None, 30, "a run")
                run = the_run()
                assert run is not None
                await wait_until(lambda: summary(run.id).done > 0, 60, "the first customer")
            # The tab is closed with its run in flight; its process ends.
            served.wait_for_log("a browser tab closed", timeout=30)
            at_close = summary(run.id)
            assert at_close.status in ("pending", "running"), at_close.status
            assert at_close.done < CUSTOMERS
            await wait_until(lambda: summary(run.id).status == "done", 120, "done")
            finished = summary(run.id)
            assert (finished.done, finished.failed) == (CUSTOMERS, 0)

            # Reloading is a new tab: it shows the run, and its report downloads.
            async with http.ws_connect(ws_url) as socket_:
                tab = Tab(socket_)
                await tab.wait_for("idle")
                await tab.press("2")
                await tab.wait_for("1 run(s)")
                await tab.press("\r")
                await tab.wait_for("Export CSV")
                await tab.press("o")
                _, key = await tab.wait_for_message("deliver_file_start")
                async with http.get(f"{served.url}download/{key}") as answer:
                    assert answer.status == 200
                    assert answer.headers["Content-Type"].startswith("text/csv")
                    assert f"run-{run.id}.csv" in answer.headers["Content-Disposition"]
                    body = await answer.text()
                services = Services()
                services.open()
                assert body == services.run_report(run.id, "csv").text
                assert body.count("\n") == CUSTOMERS + 1
                assert not (get_settings().home / "reports").exists()

                # A second run, on a budget so slow that its batch outlasts the stop bound,
                # in flight when the server is told to stop.
                edit_client("demo-erp", settings={"read_per_minute": 30, "write_per_minute": 12})
                second = services.start_run(paced_demo.profile_id, RunRequest(force=True)).run_id
                await wait_until(lambda: summary(second).done > 0, 60, "the second run's start")
                took = await asyncio.to_thread(served.stop)
        assert served.process.returncode == 0, served.text()
        assert took < STOP_TIMEOUT + SHUTDOWN_TIMEOUT_S + TAB_QUIT_TIMEOUT_S + 5, took
        assert "a browser tab closed" in served.text().split("a browser tab opened")[-1]
        assert "the worker did not stop within 10 s" in served.text()
        assert not held_elsewhere(get_settings().home)
        # Left open for the next serve to resume, not lost.
        assert summary(second).status in ("pending", "running"), summary(second).status
    finally:
        served.kill()
    assert "Traceback" not in served.text(), served.text()


def tab_processes(server_pid: int) -> list[int]:
    """The tab TUIs the server started (its children running ``tui --tab``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"--tab" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_a_tab_quits_when_the_server_is_killed_outright(demo: Demo, tmp_path: Path) -> None:
    served = Served(tmp_path)
    tabs: list[int] = []
    try:
        async with aiohttp.ClientSession() as http:
            ws_url = f"ws://127.0.0.1:{served.port}/ws?width=80&height=24"
            async with http.ws_connect(ws_url) as socket_:
                await Tab(socket_).wait_for("idle")
                tabs = tab_processes(served.process.pid)
                (tab,) = tabs
                served.process.kill()  # no socket closed, no tab told to quit
                served.process.wait()

                def gone() -> bool:
                    return not Path(f"/proc/{tab}").exists() or (
                        Path(f"/proc/{tab}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
                    )

                await wait_until(gone, 20, "the orphaned tab's end")
    finally:
        served.kill()
        for pid in tabs:  # a tab left behind by a failure
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
