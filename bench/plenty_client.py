"""How close the PlentyONE client runs to its budget share, and whether it ever hits a 429.

Starts the PlentyONE emulator with a short rate-limit window, drives reads and writes from
several threads (each its own client, sharing one token store and one budget backend, as
worker processes do) and prints, per kind, calls per second achieved against the rate the
configured share allows, plus the 429 answers the emulator gave.

Run: ``.venv/bin/python bench/plenty_client.py [--writes 90] [--reads 90] [--threads 8]
[--window 3] [--write-limit 30] [--read-limit 60] [--share 0.6] [--backend memory|database]``
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from cryptography.fernet import Fernet, MultiFernet

from core.db.connection import database, open_database
from core.db.models import SharedState
from core.plenty import (
    Budget,
    BudgetBackend,
    DatabaseBudgetBackend,
    DatabaseTokenStore,
    MemoryBudgetBackend,
    MemoryTokenStore,
    PlentyClient,
    PlentyConfig,
    TokenStore,
)
from core.secrets import Secret
from sandbox.plenty import RateLimits, SandboxConfig, create_app
from sandbox.server import serve_in_thread


def _shared_backends(kind: str, workdir: Path) -> tuple[BudgetBackend, TokenStore]:
    if kind == "memory":
        return MemoryBudgetBackend(), MemoryTokenStore()
    open_database(f"sqlite:///{workdir / 'bench.db'}")
    database.create_tables([SharedState])
    return DatabaseBudgetBackend(), DatabaseTokenStore()


def _drive(clients: list[PlentyClient], jobs: list[Callable[[PlentyClient], None]]) -> None:
    lock = threading.Lock()
    queue = iter(jobs)

    def work(client: PlentyClient) -> None:
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            job(client)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _creator(n: int) -> Callable[[PlentyClient], object]:
    payload = {"typeId": 1, "referrerId": 1, "externalId": f"bench:{n}"}
    return lambda client: client.contacts.create(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=90)
    parser.add_argument("--reads", type=int, default=90)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--window", type=float, default=3.0, help="short period, seconds")
    parser.add_argument("--write-limit", type=int, default=30)
    parser.add_argument("--read-limit", type=int, default=60)
    parser.add_argument("--share", type=float, default=0.6)
    parser.add_argument("--backend", choices=["memory", "database"], default="memory")
    args = parser.parse_args()

    limits = RateLimits(
        short_read=args.read_limit, short_write=args.write_limit, short_period_s=args.window
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_in_thread(create_app(SandboxConfig(limits=limits))) as server,
    ):
        backend, store = _shared_backends(args.backend, Path(tmp))
        config = PlentyConfig(
            base_url=server.base_url,
            username="api-user",
            password=Secret("api-password"),
            budget=Budget(args.read_limit, args.write_limit, 10**7, 10**7),
            window=args.window,
            share=args.share,
        )
        cipher = MultiFernet([Fernet(Fernet.generate_key())])
        clients = [
            PlentyClient(config, cipher=cipher, budget_backend=backend, token_store=store)
            for _ in range(args.threads)
        ]
        seed = clients[0].contacts.create({"typeId": 1, "referrerId": 1, "firstName": "Seed"})
        spans: dict[str, list[float]] = {"read": [], "write": []}
        span_lock = threading.Lock()

        def timed(kind: str, call: Callable[[PlentyClient], object]) -> Callable[..., None]:
            def job(client: PlentyClient) -> None:
                call(client)
                with span_lock:
                    spans[kind].append(time.monotonic())

            return job

        writes = [timed("write", _creator(n)) for n in range(args.writes)]
        reads = [
            timed("read", lambda c: c.contacts.get(seed.id, with_=())) for _ in range(args.reads)
        ]
        # Half the threads write, half read, so a waiting writer never holds up a reader.
        half = max(1, args.threads // 2)
        drivers = [
            threading.Thread(target=_drive, args=(clients[:half], writes)),
            threading.Thread(target=_drive, args=(clients[half:] or clients[:1], reads)),
        ]
        started = time.monotonic()
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        elapsed = time.monotonic() - started
        stats = httpx.get(f"{server.base_url}/_sandbox/stats").json()
        for client in clients:
            client.close(logout=False)

    print(f"backend={args.backend} threads={args.threads} window={args.window}s share={args.share}")
    print(f"elapsed {elapsed:.2f} s, logins {stats['sessions']['logins']}")
    for kind, limit in (("write", args.write_limit), ("read", args.read_limit)):
        times = spans[kind]
        if len(times) < 2:
            continue
        allowed = int(limit * args.share) / args.window
        # Rate over the steady part: from the first to the last completed call of this kind.
        achieved = (len(times) - 1) / (max(times) - min(times))
        print(
            f"{kind:5}: {len(times)} calls, {achieved:6.2f}/s achieved vs {allowed:6.2f}/s "
            f"allowed by the share (ratio {achieved / allowed:.3f}; full limit "
            f"{limit / args.window:.2f}/s)"
        )
    print(f"429 answers: {stats['calls']['rate_limited']}")


if __name__ == "__main__":
    main()
