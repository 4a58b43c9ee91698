"""The rig of one fault scenario: its sandboxes, stores and plentysync processes, set up.

A rig lives in one scratch directory with its own SQLite file or private PostgreSQL, its
own redis-server, both sandboxes served by ``plentysync sandbox ...`` and the demo's
client, source and profile (``cli/demo.py``). This process is pointed at the same data
directory and stores as the children it starts, so it can create runs and read results.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

from bench.fault_processes import (
    ROOT,
    PrivatePostgres,
    PrivateRedis,
    Processes,
    answers,
    wait_until,
)
from cli.demo import set_up_demo
from core.clients import ClientSettings
from core.db import init_database
from core.db.connection import database
from core.db.models import Profile
from core.profiles.service import parse_settings, profile_settings, save_profile
from core.settings import reset_settings
from sandbox.server import LOOPBACK, free_port
from worker.settings import reset_worker_settings

PLENTYSYNC = str(Path(sys.executable).with_name("plentysync"))

# Short timings so a scenario takes seconds, in the same proportions as the defaults: a
# claim outlives every park of a batch (5 x 3 s < 60 s), as 5 x 90 s < 600 s does.
WORKER_TIMINGS = {
    "PLENTYSYNC_WORKER_PARK_DELAY_S": "3",
    "PLENTYSYNC_WORKER_CLAIM_TTL_S": "60",
    "PLENTYSYNC_WORKER_LEASE_S": "9",
    "PLENTYSYNC_WORKER_SWEEP_INTERVAL_S": "2",
    "PLENTYSYNC_WORKER_TICK_S": "1",
    "PLENTYSYNC_WORKER_LOCK_TTL_S": "5",
    "PLENTYSYNC_WORKER_PROCESSES": "1",
    "PLENTYSYNC_WORKER_THREADS": "4",
}


@dataclass(frozen=True)
class RigOptions:
    """What a scenario needs started: sizes, limits, the database and Redis."""

    customers: int
    database: str = "sqlite"  # sqlite | postgres
    redis: bool = True
    dirty_share: float = 0.0
    batch_size: int = 20
    latency_ms: float = 15.0
    write_limit: int = 20_000  # PlentyONE writes per user per window, emulator and client
    window_s: float = 60.0
    sliding: bool = False
    sqlite_path: Path | None = None  # default: in the rig's home


class Rig:
    """Sandboxes, stores and plentysync processes of one scenario, in one scratch directory."""

    def __init__(self, options: RigOptions, keep: bool = False) -> None:
        self.options = options
        self.keep = keep
        self.home = Path(tempfile.mkdtemp(prefix="plentysync-faults-"))
        (self.home / "logs").mkdir()
        self.processes = Processes(self.home / "logs")
        self.redis: PrivateRedis | None = None
        self.postgres: PrivatePostgres | None = None
        self.plenty_url = self.shop_url = ""
        self.profile: Profile | None = None
        # Crafted customers (id -> kind) and those whose record must be refused as it is.
        self.crafted: dict[str, str] = {}
        self.crafted_refusable: set[str] = set()
        self._saved_env = dict(os.environ)

    # -- start --------------------------------------------------------------------------------

    def start(self) -> Rig:
        opts = self.options
        env = {
            "PLENTYSYNC_HOME": str(self.home),
            "PLENTYSYNC_LOG_LEVEL": "WARNING",
            "PLENTYSYNC_SECRET_KEY": Fernet.generate_key().decode(),
            "PLENTYSYNC_WORKER_REDIS_NAMESPACE": "faults",
            "PLENTYSYNC_WORKER_PLENTY_WINDOW_S": str(opts.window_s),
            **WORKER_TIMINGS,
        }
        if opts.redis:
            self.redis = PrivateRedis(self.processes)
            self.redis.start()
            env["PLENTYSYNC_REDIS_URL"] = self.redis.url
        if opts.database == "postgres":
            # Its own directory: the server runs as 'postgres' and may not read our home.
            self.postgres = PrivatePostgres(Path(tempfile.mkdtemp(prefix="plentysync-faults-pg-")))
            self.postgres.start()
            env["PLENTYSYNC_DATABASE_URL"] = self.postgres.url
        else:
            path = self.sqlite_path()
            env["PLENTYSYNC_DATABASE_URL"] = f"sqlite:///{path}"
        for key in [k for k in os.environ if k.startswith("PLENTYSYNC_")]:
            del os.environ[key]
        os.environ.update(env)
        reset_settings()
        reset_worker_settings()
        init_database(announce=False)
        self._start_sandboxes()
        self.profile = self._set_up_profile()
        return self

    def _start_sandboxes(self) -> None:
        opts = self.options
        plenty_port, shop_port = free_port(), free_port()
        plenty = [PLENTYSYNC, "sandbox", "plenty", "--port", str(plenty_port)]
        plenty += ["--write-limit", str(opts.write_limit)]
        plenty += ["--read-limit", str(opts.write_limit * 2)]
        plenty += ["--window-s", str(opts.window_s), "--latency-ms", str(opts.latency_ms)]
        if opts.sliding:
            plenty.append("--sliding")
        shop = [PLENTYSYNC, "sandbox", "magento", "--port", str(shop_port)]
        shop += ["--customers", str(opts.customers), "--orders", "0", "--seed", "11"]
        shop += ["--dirty-share", str(opts.dirty_share)]
        self.processes.start("plenty-sandbox", plenty, self.env())
        self.processes.start("magento-sandbox", shop, self.env())
        self.plenty_url = f"http://{LOOPBACK}:{plenty_port}"
        self.shop_url = f"http://{LOOPBACK}:{shop_port}"
        for url in (f"{self.plenty_url}/_sandbox/stats", f"{self.shop_url}/_sandbox/config"):
            if not wait_until(answers(url), 30):
                raise RuntimeError(f"a sandbox did not answer at {url}")
        # Our own logins and budget state must not be cut short by the plan's daily figures.
        self.configure_plenty({"limits": {"long_read": 10**8, "long_write": 10**8}})

    def _set_up_profile(self) -> Profile:
        per_minute = min(100_000, int(self.options.write_limit * 60 / self.options.window_s))
        settings = ClientSettings(
            plan=None,
            read_per_minute=min(100_000, per_minute * 2),
            write_per_minute=per_minute,
            read_per_day=10**8,
            write_per_day=10**8,
            budget_share=0.8,
        )
        profile, _ = set_up_demo(self.plenty_url, self.shop_url, settings)
        document = profile_settings(profile).to_document()
        document["schedule"]["process_batch_size"] = self.options.batch_size
        save_profile(profile, parse_settings(document))
        return profile

    # -- plentysync processes -----------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT)}

    def start_worker(self, name: str, processes: int = 1) -> subprocess.Popen[bytes]:
        argv = [PLENTYSYNC, "worker", "--processes", str(processes)]
        return self.processes.start(name, argv, self.env())

    def start_scheduler(self) -> subprocess.Popen[bytes]:
        return self.processes.start("scheduler", [PLENTYSYNC, "scheduler"], self.env())

    def start_inline_export(self, name: str = "export") -> subprocess.Popen[bytes]:
        argv = [PLENTYSYNC, "customer", "export", "--profile-id", "demo", "--json"]
        return self.processes.start(name, argv, self.env())

    def plentysync(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run one plentysync command to its end (bounded) and return what it printed."""
        command = [PLENTYSYNC, *argv]
        return subprocess.run(
            command, cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout
        )

    # -- the sandboxes ------------------------------------------------------------------------

    def configure_plenty(self, patch: dict[str, Any]) -> None:
        httpx.post(f"{self.plenty_url}/_sandbox/config", json=patch, timeout=10).raise_for_status()

    def plenty_control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = httpx.post(f"{self.plenty_url}/_sandbox/{path}", json=body or {}, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def contacts(self) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.plenty_url}/_sandbox/contacts", timeout=60)
        answer.raise_for_status()
        return list(answer.json())

    def plenty_stats(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.plenty_url}/_sandbox/stats", timeout=30).json())

    def dirty(self) -> dict[str, list[str]]:
        """Which customers the Magento sandbox broke on purpose, and how."""
        found: dict[str, list[str]] = {}
        for first in range(1, self.options.customers + 1, 1000):
            last = min(self.options.customers, first + 999)
            answer = httpx.get(
                f"{self.shop_url}/_sandbox/dirty", params={"first": first, "last": last}, timeout=30
            )
            found.update(answer.json()["dirty"])
        return found

    def sqlite_path(self) -> Path:
        return self.options.sqlite_path or self.home / "plentysync.db"

    def refusable(self, kinds: set[str]) -> set[str]:
        """Customer ids whose record PlentyONE must not receive as it is (they may fail)."""
        dirty = {key for key, found in self.dirty().items() if kinds & set(found)}
        return dirty | self.crafted_refusable

    def serve_crafted(self) -> dict[str, str]:
        """Have the Magento sandbox break one clean customer per crafted kind it knows.

        ``POST /_sandbox/crafted`` answers which customer got which kind and the field its
        record must be refused on (none: the customer must export, e.g. a bidi override that
        is stripped or an e-mail shared with another website). Returns id -> kind.
        """
        answer = httpx.post(f"{self.shop_url}/_sandbox/crafted", json={}, timeout=10)
        answer.raise_for_status()
        for customer_id, crafted in answer.json()["crafted"].items():
            self.crafted[customer_id] = crafted["kind"]
            if crafted["refused_on"] is not None:
                self.crafted_refusable.add(customer_id)
        return dict(self.crafted)

    # -- stop ---------------------------------------------------------------------------------

    def close(self) -> None:
        self.processes.stop_all()
        database.close()
        if self.postgres is not None:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self.postgres.stop()
            shutil.rmtree(self.postgres.directory, ignore_errors=True)
        os.environ.clear()
        os.environ.update(self._saved_env)
        reset_settings()
        reset_worker_settings()
        if not self.keep:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Rig:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
