"""``plentysync status`` as values: per profile last success, current run, queue; budgets, workers.

The deployment's facts (its kind, the live workers, where the budget state lives) are
arguments: core imports no worker, so the front end asks its deployment and passes them on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.operations.budget import BudgetReader
from core.operations.health import Problem, collect_status
from core.operations.health import Status as Collected
from core.operations.settings import HealthSettings
from core.settings import Settings, get_settings


@dataclass(frozen=True)
class CurrentRun:
    """The open (or stale) run of a profile and how far it got."""

    id: int
    status: str
    trigger: str
    started_at: dt.datetime | None
    last_progress_at: dt.datetime | None
    batches_done: int
    batches: int
    enumerated: bool
    customers_done: int
    owner: str
    owner_state: str
    pause_reason: str | None = None  # a paused run: why its guardrail stopped it
    # Days the customers still to do need at the daily write cap (None: still enumerating).
    cap_days: float | None = None


@dataclass(frozen=True)
class ProfileHealth:
    """One profile's line of the status."""

    id: int
    name: str
    paused: bool
    scheduled: bool
    last_success: dt.datetime | None
    current_run: CurrentRun | None
    queue_depth: int
    oldest_pending_age_s: float | None
    failed_items: int
    stale_runs: tuple[int, ...]


@dataclass(frozen=True)
class BudgetLeft:
    """What is left of one client's PlentyONE budget now."""

    client: str
    read_per_minute: int
    read_per_day: int
    write_per_minute: int
    write_per_day: int


@dataclass(frozen=True)
class Status:
    """The whole service at one moment; unhealthy when ``problems`` is not empty."""

    mode: str  # redis | single-host
    data_directory: str
    database: str
    workers: tuple[str, ...]
    profiles: tuple[ProfileHealth, ...]
    budgets: tuple[BudgetLeft, ...]
    problems: tuple[Problem, ...]

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The status as ``plentysync status --json`` prints it."""
        return {
            "healthy": self.healthy,
            "problems": [{"key": p.key, "message": p.message} for p in self.problems],
            "mode": self.mode,
            "data_directory": self.data_directory,
            "database": self.database,
            "live_workers": list(self.workers),
            "profiles": [_profile_dict(row) for row in self.profiles],
            "budgets": [vars(b).copy() for b in self.budgets],
        }


def _profile_dict(row: ProfileHealth) -> dict[str, Any]:
    shown = vars(row).copy()
    shown["current_run"] = None if row.current_run is None else vars(row.current_run).copy()
    shown["stale_runs"] = list(row.stale_runs)
    return shown


def status(
    *,
    workers: list[str],
    budget_reader: BudgetReader | None,
    mode: str | None = None,
    health: HealthSettings | None = None,
    settings: Settings | None = None,
    now: dt.datetime | None = None,
) -> Status:
    """The status of every profile and client; ``mode`` defaults to what the settings say."""
    settings = settings or get_settings()
    found = collect_status(
        settings,
        health or HealthSettings(),
        mode=mode or ("redis" if settings.redis_url else "single-host"),
        workers=workers,
        budget_reader=budget_reader,
        now=now,
    )
    return typed_status(found, mode=mode)


def typed_status(found: Collected, *, mode: str | None = None) -> Status:
    """A status collected by ``core.operations.health`` (rows as dicts) as typed, frozen rows."""
    return Status(
        mode=mode or found.mode,
        data_directory=found.data_directory,
        database=found.database,
        workers=tuple(found.workers),
        profiles=tuple(
            ProfileHealth(
                **{
                    **row,
                    "current_run": CurrentRun(**row["current_run"]) if row["current_run"] else None,
                    "stale_runs": tuple(row["stale_runs"]),
                }
            )
            for row in found.profiles
        ),
        budgets=tuple(BudgetLeft(**row) for row in found.budgets),
        problems=tuple(found.problems),
    )
