"""Prometheus metrics of the workers: Dramatiq's own plus plentysync's, on one port.

Set ``PLENTYSYNC_METRICS_PORT`` (and optionally ``PLENTYSYNC_METRICS_HOST``, default
127.0.0.1) and ``plentysync worker`` serves ``/metrics`` there: Dramatiq's message metrics
(collected across the worker processes through Prometheus's multiprocess directory),
PlentyONE responses and 429s counted by each process, and the database readings of
``core.operations.metrics`` (customers by result, API calls, queue depth, budget left, run
durations). Unset, no metrics are collected and no port is opened.

``prometheus_client`` is imported only after the multiprocess directory is configured,
because it decides at import time where its values live.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from dramatiq.middleware.prometheus import DB_PATH, Prometheus

from core.operations.budget import BudgetReader
from core.operations.metrics import Reading, database_readings
from core.plenty import ExchangeHook, ExchangeRecord
from worker.settings import MetricsSettings

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

log = logging.getLogger(__name__)


class PlentyResponses:
    """Counts this process's PlentyONE responses by kind and status, and the 429s apart."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        # reason: prometheus_client fixes where values live at import (module text)
        import prometheus_client as prom

        self.responses = prom.Counter(
            "plentysync_plenty_responses",
            "PlentyONE responses by call kind and HTTP status (error: no response).",
            ["kind", "status"],
            registry=registry,
        )
        self.rate_limited = prom.Counter(
            "plentysync_plenty_rate_limited",
            "PlentyONE answers 429 Too Many Requests, by call kind.",
            ["kind"],
            registry=registry,
        )

    def __call__(self, record: ExchangeRecord) -> None:
        status = str(record.status) if record.status is not None else "error"
        self.responses.labels(record.kind, status).inc()
        if record.status == 429:
            self.rate_limited.labels(record.kind).inc()


_responses: PlentyResponses | None = None


def exchange_hooks() -> tuple[ExchangeHook, ...]:
    """The hooks that count PlentyONE responses in this process (none with metrics off)."""
    return (_responses,) if _responses is not None else ()


class DatabaseCollector:
    """A Prometheus collector over the database readings, read at every scrape."""

    def __init__(self, budget_reader: BudgetReader | None = None) -> None:
        self.budget_reader = budget_reader

    def collect(self) -> Iterator[Any]:
        # reason: prometheus_client fixes where values live at import (module text)
        from prometheus_client.core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            SummaryMetricFamily,
        )

        try:
            readings = database_readings(self.budget_reader)
        except Exception:  # a scrape must answer even while the database is away
            log.exception("metrics: database readings failed")
            return
        for reading in readings:
            yield _family(reading, CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily)


def _family(reading: Reading, counter: Any, gauge: Any, summary: Any) -> Any:
    labels = list(reading.labels)
    if reading.kind == "summary":
        family = summary(reading.name, reading.help, labels=labels)
        for values, (count, total) in sorted(reading.summaries.items()):
            family.add_metric(list(values), count_value=count, sum_value=total)
        return family
    family = (counter if reading.kind == "counter" else gauge)(
        reading.name, reading.help, labels=labels
    )
    for values, value in sorted(reading.samples.items()):
        family.add_metric(list(values), value)
    return family


def make_registry(
    *, multiprocess_dir: str | None = None, budget_reader: BudgetReader | None = None
) -> CollectorRegistry:
    """A registry with the database readings, and the worker processes' values if given."""
    # reason: prometheus_client fixes where values live at import (module text)
    from prometheus_client import CollectorRegistry

    # reason: prometheus_client fixes where values live at import (module text)
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    if multiprocess_dir is not None:
        MultiProcessCollector(registry, path=multiprocess_dir)
    registry.register(DatabaseCollector(budget_reader))
    return registry


def serve_metrics(host: str, port: int, registry: CollectorRegistry) -> Any:
    """Serve ``registry`` on ``host:port`` in a daemon thread; returns the server."""
    # reason: prometheus_client fixes where values live at import (module text)
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=host, registry=registry)
    return server


def serve_exposition(settings: MetricsSettings, budget_reader: BudgetReader) -> None:
    """The body of the exposition process Dramatiq forks beside the workers; never returns.

    The fork itself is ``worker.actors.exposition``, the worker processes' entry module,
    which knows the deployment and so where the budget state lives.
    """
    registry = make_registry(multiprocess_dir=DB_PATH, budget_reader=budget_reader)
    assert settings.port is not None
    serve_metrics(settings.host, settings.port, registry)
    log.info("metrics served on http://%s:%d/metrics", settings.host, settings.port)
    threading.Event().wait()


class WorkerMetrics(Prometheus):
    """Dramatiq's Prometheus middleware, exposing our metrics too on our port.

    ``exposition`` is the function Dramatiq forks (by its module and name) to serve them.
    """

    def __init__(self, exposition: Callable[[], int]) -> None:
        super().__init__()
        self.exposition = exposition

    @property
    def forks(self) -> list[Any]:
        return [self.exposition]

    def after_process_boot(self, broker: Any) -> None:
        super().after_process_boot(broker)
        global _responses
        if _responses is None:
            # reason: prometheus_client fixes where values live at import (module text)
            from prometheus_client import CollectorRegistry

            # Values go to the multiprocess directory; this registry only keeps names unique.
            _responses = PlentyResponses(CollectorRegistry())


def install_metrics(broker: Any, settings: MetricsSettings, exposition: Callable[[], int]) -> bool:
    """Add the metrics middleware to ``broker`` when ``PLENTYSYNC_METRICS_PORT`` is set."""
    if settings.port is None:
        return False
    broker.add_middleware(WorkerMetrics(exposition))
    return True
