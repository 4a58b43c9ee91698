"""Prometheus metrics: our readings and Dramatiq's, served over HTTP and counting."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
from prometheus_client import CollectorRegistry

from core.export.runs import RunOptions
from core.export.service import start_export
from core.plenty import DatabaseBudgetBackend, ExchangeRecord
from tests.core.operations.helpers import add_run
from tests.worker.conftest import (
    Sandboxes,
    WorkerProcesses,
    free_port,
    make_profile,
    run_status,
    wait_finished,
    wait_for,
)
from tests.worker.offline import offline_profile
from worker.courier import DramatiqExecutor
from worker.deployment import choose_deployment
from worker.metrics import PlentyResponses, make_registry, serve_metrics


def _value(text: str, name: str, **labels: str) -> float:
    """The value of one sample in the Prometheus text format."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels} in:\n{text[:3000]}")


def test_exposition_serves_database_readings_and_budget(sqlite_db: str) -> None:
    profile = offline_profile(name="eu")
    add_run(profile, "done", total=4, created=3, failed=1, api_reads=9, api_writes=5)
    registry = make_registry(budget_reader=DatabaseBudgetBackend())
    port = free_port()
    server = serve_metrics("127.0.0.1", port, registry)
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert _value(text, "plentysync_customers_exported_total", result="created") == 3
        assert _value(text, "plentysync_api_calls_total", kind="write") == 5
        assert _value(text, "plentysync_run_duration_seconds_count", profile="eu") == 1
        assert _value(text, "plentysync_budget_left", budget="read_per_minute") > 0
        add_run(profile, "done", total=2, created=2)
        again = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert _value(again, "plentysync_customers_exported_total", result="created") == 5
    finally:
        server.shutdown()


def test_response_hook_counts_calls_and_429s() -> None:
    registry = CollectorRegistry()
    hook = PlentyResponses(registry)
    for status in (200, 200, 429, None):
        hook(ExchangeRecord("GET", "/rest/accounts/contacts", "u", "read", 1, status, 0.1))
    hook(ExchangeRecord("POST", "/rest/accounts/contacts", "u", "write", 1, 429, 0.1))
    sample = registry.get_sample_value
    assert sample("plentysync_plenty_responses_total", {"kind": "read", "status": "200"}) == 2
    assert sample("plentysync_plenty_responses_total", {"kind": "read", "status": "error"}) == 1
    assert sample("plentysync_plenty_rate_limited_total", {"kind": "read"}) == 1
    assert sample("plentysync_plenty_rate_limited_total", {"kind": "write"}) == 1


def test_worker_processes_expose_dramatiq_and_plentysync_metrics(
    start_sandboxes: Callable[..., Sandboxes],
    workers: WorkerProcesses,
    tmp_path: Path,
) -> None:
    port = free_port()
    prom_dir = tmp_path / "prom"
    prom_dir.mkdir()
    workers.env.update({"PLENTYSYNC_METRICS_PORT": str(port), "dramatiq_prom_db": str(prom_dir)})
    boxes = start_sandboxes(customers=30)
    profile = make_profile(boxes)
    workers.start(processes=1, threads=2)
    run = start_export(profile, RunOptions(guests=False))
    DramatiqExecutor(choose_deployment().courier()).submit(run)
    wait_finished(run.id, workers)
    assert run_status(run.id) == "done"

    def scraped() -> str:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        except httpx.HTTPError:
            return ""

    wait_for(lambda: "dramatiq_messages_total" in scraped(), 30, "metrics", workers.logs)
    text = scraped()
    assert _value(text, "dramatiq_messages_total", actor_name="export_batch") >= 1
    created = _value(text, "plentysync_customers_exported_total", result="created")
    assert created >= 20
    assert _value(text, "plentysync_plenty_responses_total", kind="write", status="200") >= 20
    assert _value(text, "plentysync_run_duration_seconds_count") == 1
