"""What ran: finished and open runs per profile, their items, and removing old history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import peewee as pw

from core.db.connection import write_transaction
from core.db.models import Run, RunItem, utcnow
from core.errors import ConfigError
from core.export.batch import NOT_IN_MAGENTO
from core.export.runs import RUN_CANCELLABLE, RUN_STATUSES

# Problems first, so ``history show`` opens with what needs a human.
_ACTION_ORDER = ("failed", "conflict", "skipped", "created", "updated", "unchanged")


def runs_query(profile_id: int | None = None, *, status: str | None = None) -> pw.ModelSelect[Run]:
    """The runs, newest first; ``status`` "error" means failed or stale runs and finished
    runs with failed customers."""
    if status is not None and status != "error" and status not in RUN_STATUSES:
        raise ConfigError(
            f"no run status {status!r}; known: {', '.join(RUN_STATUSES)}, or 'error' for any "
            "trouble"
        )
    query = Run.select().order_by(Run.id.desc())
    if profile_id is not None:
        query = query.where(Run.profile == profile_id)
    if status == "error":
        query = query.where(Run.status.in_(("failed", "stale", "paused")) | (Run.failed > 0))
    elif status is not None:
        query = query.where(Run.status == status)
    return query


def list_runs(
    profile_id: int | None = None, *, status: str | None = None, limit: int = 20
) -> list[Run]:
    """The latest runs, newest first (``status`` as for ``runs_query``)."""
    return list(runs_query(profile_id, status=status).limit(limit))


def customers_not_in_magento(run_id: int) -> list[int]:
    """The customer ids a run was given by name that Magento does not have."""
    query = RunItem.select(RunItem.entity_key).where(
        (RunItem.run == run_id)
        & (RunItem.entity_type == "customer")
        & (RunItem.action == "skipped")
        & (RunItem.message == NOT_IN_MAGENTO)
    )
    return sorted(int(item.entity_key) for item in query)


# A run's per-customer outcomes, in the order summaries name them.
COUNTS = ("created", "updated", "unchanged", "skipped", "failed", "conflicts")


def run_items(run_id: int, *, limit: int | None = None) -> list[RunItem]:
    """A run's per-customer results, errors first."""
    order = pw.Case(
        RunItem.action, [(a, i) for i, a in enumerate(_ACTION_ORDER)], len(_ACTION_ORDER)
    )
    query = RunItem.select().where(RunItem.run == run_id).order_by(order, RunItem.id)
    if limit is not None:
        query = query.limit(limit)
    return list(query)


@dataclass(frozen=True)
class Cleared:
    """How much history one clean-up removed."""

    runs: int
    items: int


def clear_history(older_than: dt.timedelta, *, now: dt.datetime | None = None) -> Cleared:
    """Remove finished runs (with their items and batches) created before ``older_than`` ago.

    Open runs are never removed, however old: they are work in progress, and a stale one
    is for a human to resume or cancel.
    """
    cutoff = (now or utcnow()) - older_than
    # A paused run is not finished: it stays until it is resumed or cancelled.
    old = Run.select(Run.id).where((Run.created_at < cutoff) & Run.status.not_in(RUN_CANCELLABLE))
    ids = [run.id for run in old]
    if not ids:
        return Cleared(0, 0)
    items = 0
    # Small transactions: a long clean-up must not hold SQLite's write lock for long.
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        with write_transaction():
            items += RunItem.delete().where(RunItem.run.in_(chunk)).execute()
            Run.delete().where(Run.id.in_(chunk)).execute()
    return Cleared(len(ids), items)


def apply_retention(days: int, *, now: dt.datetime | None = None) -> Cleared:
    """Apply the configured retention (``PLENTYSYNC_HEALTH_HISTORY_RETENTION_DAYS``; 0: keep)."""
    if days <= 0:
        return Cleared(0, 0)
    return clear_history(dt.timedelta(days=days), now=now)


def outcomes_of(run_id: int, customer_ids: set[str]) -> Counter[str]:
    """What run ``run_id`` did with each of ``customer_ids``: action -> count.

    Customers the run kept no result for count as "not recorded", so the counts always add
    up to the customers asked about.
    """
    kept = RunItem.select(RunItem.entity_key, RunItem.action).where(
        (RunItem.run == run_id) & (RunItem.entity_type == "customer")
    )
    outcomes = Counter(str(item.action) for item in kept if item.entity_key in customer_ids)
    missing = len(customer_ids) - sum(outcomes.values())
    if missing:
        outcomes["not recorded"] = missing
    return outcomes
