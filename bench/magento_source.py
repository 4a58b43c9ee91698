"""Benchmark: how fast the Magento source reads 100,000 customers, and how little it holds.

Starts the Magento emulator in a child process (so the figures are the client's alone),
then enumerates every customer id with keyset paging and fetches every full record in
batches, as the export pipeline does. Prints customers per second and the client's peak
memory (tracemalloc for Python objects, ru_maxrss for the whole process).

    .venv/bin/python bench/magento_source.py [--customers 100000] [--page-size 300]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
import tracemalloc

from core.magento import IntegrationBearer, MagentoConfig, MagentoSource
from core.secrets import Secret
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import LOOPBACK, free_port, serve_forever, wait_until_listening


def _serve(customers: int, port: int) -> None:
    app = create_app(MagentoSandboxConfig(customers=customers, orders=0))
    serve_forever(app, port, log_level="warning")


def _wait_for(port: int, timeout: float = 60.0) -> None:
    if not wait_until_listening(port, timeout):
        raise SystemExit(f"the emulator did not start on port {port}")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=300)
    parser.add_argument("--min-interval", type=float, default=0.0)
    parser.add_argument(
        "--fetch",
        type=int,
        default=None,
        help="fetch only the first N customers in full (default: all)",
    )
    args = parser.parse_args()

    port = free_port()
    shop = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(args.customers, port), daemon=True
    )
    shop.start()
    try:
        _wait_for(port)
        config = MagentoConfig(
            f"http://{LOOPBACK}:{port}",
            IntegrationBearer(Secret(DEFAULT_INTEGRATION_TOKEN)),
            page_size=args.page_size,
            min_interval=args.min_interval,
        )
        tracemalloc.start()
        with MagentoSource(config) as source:
            started, cpu = time.perf_counter(), _cpu_seconds()
            count = sum(len(page) for page in source.customers.iter_ids())
            enumerated, enumerate_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            id_calls = source.calls

            started, cpu = time.perf_counter(), _cpu_seconds()
            fetched = 0
            to_fetch = count if args.fetch is None else min(args.fetch, count)
            for page in source.customers.iter_ids():
                if fetched >= to_fetch:
                    break
                fetched += len(source.customers.fetch(page[: to_fetch - fetched]))
            fetching, fetch_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            fetch_calls = source.calls - id_calls
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        shop.terminate()
        shop.join(10)
        if shop.is_alive():  # busy building a large answer: no graceful end needed
            shop.kill()

    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"customers in the emulator     {count:>10,}")
    print(f"page size                     {args.page_size:>10}")
    print(
        f"ids enumerated                {count / enumerated:>10,.0f} /s"
        f"  ({enumerated:.1f} s, {id_calls} calls)"
    )
    print(
        f"full records fetched          {fetched / fetching:>10,.0f} /s"
        f"  ({fetching:.1f} s, {fetch_calls} calls incl. id pages)"
    )
    # The emulator builds records with Faker; the client's own CPU shows its ceiling.
    print(
        f"client CPU                    {enumerate_cpu:>10.1f} s enumerating,"
        f" {fetch_cpu:.1f} s fetching"
        f" ({fetched / max(fetch_cpu, 1e-9):,.0f} records per client CPU second)"
    )
    print(f"client peak (tracemalloc)     {peak / 2**20:>10.1f} MiB")
    print(f"client peak RSS (ru_maxrss)   {rss_kib / 1024:>10.1f} MiB")
    if count != args.customers or fetched != to_fetch:
        raise SystemExit("not every customer was read")


if __name__ == "__main__":
    main()
