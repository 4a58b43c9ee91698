"""Child processes a fault scenario starts and strikes: plentysync, sandboxes, Redis, PostgreSQL.

Every child is started in a process group of its own, so a scenario can kill one of them
(or one of its children) and ``Processes.stop_all`` can stop all of them, whatever state
the scenario left them in. Everything listens on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sandbox.server import LOOPBACK, free_port

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.25) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; True when it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(step)
    return False


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (Linux ``/proc``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@dataclass
class Processes:
    """Child processes by name, each in its own process group, with its log file."""

    log_dir: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.log_dir / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running[name] = proc
        return proc

    def signal(self, name: str, signum: int, *, group: bool = True) -> None:
        proc = self.running[name]
        if proc.poll() is None:
            if group:
                os.killpg(proc.pid, signum)
            else:
                os.kill(proc.pid, signum)

    def stop(self, name: str, timeout: float = 20.0) -> int | None:
        """SIGTERM the process group, SIGKILL it after ``timeout``; its exit status."""
        proc = self.running.pop(name, None)
        if proc is None:
            return None
        if proc.poll() is None:
            _killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        _killpg(proc.pid, signal.SIGKILL)  # children left behind by a parent that exited
        return proc.returncode

    def stop_all(self) -> None:
        """Stop everything, the latest started first (Redis and the sandboxes last)."""
        for name in reversed(list(self.running)):
            self.stop(name)

    def log(self, name: str, tail: int = 3000) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""


def _killpg(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def answers(url: str) -> Callable[[], bool]:
    """A check that ``url`` answers 200 (for ``wait_until``)."""
    return lambda: httpx.get(url, timeout=2).status_code == 200


class PrivateRedis:
    """A redis-server of the rig's own on a free port, with nothing saved to disk."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        self.port = free_port()
        self.url = f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        argv = ["redis-server", "--port", str(self.port), "--bind", LOOPBACK]
        argv += ["--save", "", "--appendonly", "no"]
        self.processes.start("redis", argv, dict(os.environ))
        if not wait_until(self._pings, 10):
            raise RuntimeError("the private redis-server did not start")

    def kill(self) -> None:
        """SIGKILL: whatever it held (messages, budgets, tokens, locks) is gone."""
        self.processes.signal("redis", signal.SIGKILL)
        self.processes.stop("redis")

    def _pings(self) -> bool:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()


class PrivatePostgres:
    """A PostgreSQL cluster of the rig's own (initdb, pg_ctl) on a free loopback port."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"postgresql://postgres@{LOOPBACK}:{self.port}/postgres"

    @staticmethod
    def unavailable() -> str:
        """Why no private cluster can be made here, or "" when one can."""
        if not PG_BIN:
            return "no PostgreSQL server binaries under /usr/lib/postgresql"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "running as root without runuser to start PostgreSQL as 'postgres'"
        return ""

    def _run(self, *argv: str, timeout: float = 60) -> None:
        command = [str(PG_BIN[-1] / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        data = self.directory / "data"
        if not data.exists():
            if os.geteuid() == 0:
                shutil.chown(self.directory, "postgres")
            self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.directory} -c listen_addresses={LOOPBACK} -c fsync=off"
        log = str(self.directory / "log")
        self._run("pg_ctl", "-D", str(data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def restart(self) -> None:
        """A fast stop and a start: every connection of every process is cut."""
        self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        if (self.directory / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop")
