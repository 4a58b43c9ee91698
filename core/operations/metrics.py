"""The service's own metrics, read from the database at scrape time (no Prometheus needed).

Counts live in the runs themselves, so every worker process and host reports the same
numbers and none is lost when a worker restarts. Counters come from the kept runs: when
``history clear`` or the retention removes runs they go down, which Prometheus reads as a
counter reset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from core.db.models import Client, Profile, QueueItem, Run, utcnow
from core.errors import PlentysyncError
from core.operations.budget import BudgetReader, budget_left

RESULTS = ("created", "updated", "unchanged", "skipped", "failed", "conflicts")


@dataclass
class Reading:
    """One metric with its samples: label values -> value."""

    name: str
    kind: str  # counter | gauge | summary
    help: str
    labels: tuple[str, ...]
    samples: dict[tuple[str, ...], float] = field(default_factory=dict)
    # summary only: label values -> (count, sum)
    summaries: dict[tuple[str, ...], tuple[float, float]] = field(default_factory=dict)


def _profile_names() -> dict[int, str]:
    return {p.id: p.name for p in Profile.select(Profile.id, Profile.name)}


def run_readings() -> list[Reading]:
    """Customers by result, PlentyONE calls by kind, runs by status, and run durations."""
    names = _profile_names()
    customers = Reading(
        "plentysync_customers_exported",
        "counter",
        "Customers handled by export runs, by result.",
        ("profile", "result"),
    )
    calls = Reading(
        "plentysync_api_calls", "counter", "PlentyONE calls made by runs.", ("profile", "kind")
    )
    runs = Reading("plentysync_runs", "gauge", "Kept runs by status.", ("profile", "status"))
    sums = [pw.fn.SUM(getattr(Run, result)) for result in RESULTS]
    query: list[Any] = list(
        Run.select(Run.profile, *sums, pw.fn.SUM(Run.api_reads), pw.fn.SUM(Run.api_writes))
        .group_by(Run.profile)
        .tuples()
    )
    for profile_id, *totals in query:
        name = names.get(profile_id, str(profile_id))
        for result, total in zip(RESULTS, totals[: len(RESULTS)], strict=True):
            customers.samples[(name, result.removesuffix("s"))] = float(total or 0)
        calls.samples[(name, "read")] = float(totals[-2] or 0)
        calls.samples[(name, "write")] = float(totals[-1] or 0)
    by_status: list[Any] = list(
        Run.select(Run.profile, Run.status, pw.fn.COUNT(Run.id))
        .group_by(Run.profile, Run.status)
        .tuples()
    )
    for profile_id, status, count in by_status:
        runs.samples[(names.get(profile_id, str(profile_id)), status)] = float(count)
    durations = Reading(
        "plentysync_run_duration_seconds",
        "summary",
        "Duration of finished runs, from start to end.",
        ("profile",),
    )
    finished = Run.select(Run.profile, Run.started_at, Run.finished_at).where(
        Run.started_at.is_null(False) & Run.finished_at.is_null(False)
    )
    for run in finished:
        name = names.get(run.profile_id, str(run.profile_id))
        runs_seen, total_seconds = durations.summaries.get((name,), (0.0, 0.0))
        seconds = (run.finished_at - run.started_at).total_seconds()  # type: ignore[operator]
        durations.summaries[(name,)] = (runs_seen + 1, total_seconds + seconds)
    return [customers, calls, runs, durations]


def queue_readings() -> list[Reading]:
    """Queue depth by status and the age of the oldest due item, per profile."""
    names = _profile_names()
    depth = Reading(
        "plentysync_queue_depth", "gauge", "Queue items by status.", ("profile", "status")
    )
    oldest = Reading(
        "plentysync_queue_oldest_due_seconds",
        "gauge",
        "How long the oldest due queue item has waited.",
        ("profile",),
    )
    counts: list[Any] = list(
        QueueItem.select(QueueItem.profile, QueueItem.status, pw.fn.COUNT(QueueItem.id))
        .group_by(QueueItem.profile, QueueItem.status)
        .tuples()
    )
    for profile_id, status, count in counts:
        depth.samples[(names.get(profile_id, str(profile_id)), status)] = float(count)
    now = utcnow()
    firsts: list[Any] = list(
        QueueItem.select(QueueItem.profile, pw.fn.MIN(QueueItem.next_attempt_at))
        .where((QueueItem.status == "pending") & (QueueItem.next_attempt_at <= now))
        .group_by(QueueItem.profile)
        .tuples()
    )
    for profile_id, first in firsts:
        if isinstance(first, str):  # SQLite returns aggregates of datetimes as text
            first = QueueItem.next_attempt_at.python_value(first)
        age = (now - first).total_seconds()
        oldest.samples[(names.get(profile_id, str(profile_id)),)] = max(0.0, age)
    return [depth, oldest]


def budget_readings(reader: BudgetReader) -> list[Reading]:
    """PlentyONE calls plentysync may still make, per client and budget."""
    left = Reading(
        "plentysync_budget_left",
        "gauge",
        "PlentyONE calls left within plentysync's share, per budget.",
        ("client", "budget"),
    )
    for client in Client.select():
        try:
            values = budget_left(client, reader)
        except PlentysyncError:
            continue
        for budget, value in values.items():
            left.samples[(client.name, budget)] = float(value)
    return [left]


def database_readings(reader: BudgetReader | None = None) -> list[Reading]:
    """Every metric the database can answer."""
    readings = run_readings() + queue_readings()
    if reader is not None:
        readings += budget_readings(reader)
    return readings
