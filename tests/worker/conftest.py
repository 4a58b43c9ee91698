"""Real Redis, both sandboxes over HTTP and real worker processes for the worker tests.

Each test gets its own Redis key namespace (removed afterwards), so tests never see each
other's messages, budgets or tokens on the shared server at ``PLENTYSYNC_TEST_REDIS_URL``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from cli.demo import set_up_demo
from core.clients import ClientSettings
from core.db import init_database
from core.db.connection import database
from core.db.models import Profile, Run
from core.profiles.service import parse_settings, profile_settings, save_profile
from core.settings import Settings, reset_settings
from core.ticker import ticking
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread
from tests.core.export.conftest import _merge
from worker.courier import Courier
from worker.settings import reset_worker_settings

REDIS_URL = os.environ.get("PLENTYSYNC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


def _redis_or_skip(url: str) -> redis.Redis:
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    return client


@pytest.fixture
def redis_namespace(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh Redis key namespace for this test, configured for workers; removed afterwards."""
    client = _redis_or_skip(REDIS_URL)
    namespace = f"pstest-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("PLENTYSYNC_WORKER_REDIS_NAMESPACE", namespace)
    reset_worker_settings()
    yield namespace
    for key in client.scan_iter(f"{namespace}:*", count=1000):
        client.delete(key)
    client.close()
    reset_worker_settings()


@pytest.fixture
def redis_client(redis_namespace: str) -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL)


@dataclass
class Sandboxes:
    plenty: RunningServer
    magento: RunningServer

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.plenty.base_url}/_sandbox/stats").json()

    def contacts(self) -> list[dict[str, Any]]:
        return httpx.get(f"{self.plenty.base_url}/_sandbox/contacts").json()

    def mutate(self, **body: Any) -> dict[str, Any]:
        answer = httpx.post(f"{self.magento.base_url}/_sandbox/mutate", json=body)
        answer.raise_for_status()
        return answer.json()


@pytest.fixture
def start_sandboxes() -> Iterator[Callable[..., Sandboxes]]:
    """Starts both emulators: ``start_sandboxes(customers=60, limits=RateLimits(...))``."""
    with ExitStack() as stack:

        def start(customers: int = 60, limits: RateLimits | None = None) -> Sandboxes:
            limits = limits or RateLimits(
                short_read=100_000, short_write=100_000, long_read=10**8, long_write=10**8
            )
            plenty = stack.enter_context(serve_in_thread(plenty_app(SandboxConfig(limits=limits))))
            magento = stack.enter_context(
                serve_in_thread(
                    magento_app(MagentoSandboxConfig(customers=customers, seed=5, orders=0))
                )
            )
            return Sandboxes(plenty, magento)

        yield start


def make_profile(
    boxes: Sandboxes, *, budget: ClientSettings | None = None, changes: dict[str, Any] | None = None
) -> Profile:
    """The demo's client, source (configuration collected) and profile on the sandboxes."""
    profile, _ = set_up_demo(
        boxes.plenty.base_url,
        boxes.magento.base_url,
        budget
        or ClientSettings(
            plan=None, read_per_minute=100_000, write_per_minute=100_000, budget_share=1.0
        ),
    )
    document = _merge(profile_settings(profile).to_document(), changes or {})
    save_profile(profile, parse_settings(document))
    return profile


@dataclass
class WorkerProcesses:
    """``dramatiq worker.actors`` processes started for a test; stopped at its end."""

    env: dict[str, str]
    log_dir: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, processes: int = 1, threads: int = 4) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dramatiq",
                "worker.actors",
                "--processes",
                str(processes),
                "--threads",
                str(threads),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its children: no shutdown, no acknowledgement, nothing."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in self.log_dir.glob("*.log"))


@pytest.fixture
def shared_db(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """PostgreSQL, as in production: many worker processes write at once."""
    monkeypatch.setenv("PLENTYSYNC_DATABASE_URL", postgres_url)
    reset_settings()
    init_database(Settings(), announce=False)
    yield postgres_url
    database.close()


@pytest.fixture
def worker_env(
    shared_db: str, redis_namespace: str, plentysync_home: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The environment worker processes and this test share: database, Redis, timings."""
    values = {
        "PLENTYSYNC_HOME": str(plentysync_home),
        "PLENTYSYNC_DATABASE_URL": shared_db,
        "PLENTYSYNC_REDIS_URL": REDIS_URL,
        "PLENTYSYNC_LOG_LEVEL": "WARNING",
        "PLENTYSYNC_WORKER_REDIS_NAMESPACE": redis_namespace,
        "PLENTYSYNC_WORKER_PLENTY_WINDOW_S": "5",
        "PLENTYSYNC_WORKER_PARK_DELAY_S": "2",
        "PLENTYSYNC_WORKER_CLAIM_TTL_S": "5",
        "PLENTYSYNC_WORKER_LEASE_S": "8",
        "PLENTYSYNC_WORKER_PROCESSES": "2",
        "PLENTYSYNC_WORKER_THREADS": "4",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    reset_worker_settings()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_TEST_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[WorkerProcesses]:
    found = WorkerProcesses(worker_env, tmp_path)
    yield found
    found.stop_all()


def wait_for(
    condition: Callable[[], bool], timeout: float, what: str, on_fail: Callable[[], str] = str
) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` (and diagnostics) at ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{on_fail()}")


def run_status(run_id: int) -> str:
    return str(Run.get_by_id(run_id).status)


def wait_finished(run_id: int, workers: WorkerProcesses, timeout: float = 90) -> None:
    """Wait until the run is neither pending nor running; fail with the workers' logs."""
    wait_for(
        lambda: run_status(run_id) not in ("pending", "running"),
        timeout=timeout,
        what="the run to finish",
        on_fail=workers.logs,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PrivateRedis:
    """A redis-server of this test's own, so it can be restarted without touching others."""

    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _pings(client), 10, "the private redis-server")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.stop()


@contextmanager
def sweeping(courier: Courier, every: float = 0.5) -> Iterator[None]:
    """Run the sweeper in a thread, as the scheduler process does, until the block ends."""
    from worker.settings import get_worker_settings
    from worker.sweeper import sweep

    grace = dt.timedelta(seconds=get_worker_settings().lease_s)

    def once() -> None:
        # Redis may be being restarted by the test.
        with suppress(redis.RedisError, ConnectionError):
            sweep(courier, grace=grace, stale_after=dt.timedelta(hours=1))

    with ticking(once, every, at_end=database.close):
        yield
