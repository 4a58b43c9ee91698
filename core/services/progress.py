"""One run while it moves: counts, speed, the ETAs and the latest failures.

Two ETAs, because a sysadmin asks two questions: when does it end at the speed it goes now,
and when at the most the budget allows. Both wait out the client's blackout window when the
run stands inside one now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from core.clients import client_settings
from core.db.models import Run, RunBatch, RunItem
from core.errors import ConfigError
from core.export.runs import RUN_OPEN
from core.operations.history import COUNTS
from core.tools.estimate import estimate_export, run_cap_days

SPEED_WINDOW = dt.timedelta(minutes=1)
FAILURE_TAIL = 5


@dataclass(frozen=True)
class Failure:
    """One customer a run refused, with the reason."""

    entity_key: str
    error_class: str
    message: str


@dataclass(frozen=True)
class RunProgress:
    """A run as the live run view shows it."""

    run_id: int
    profile_id: int
    profile_name: str
    status: str
    trigger: str
    enumerated: bool
    total: int
    done: int
    counts: tuple[tuple[str, int], ...]
    api_reads: int
    api_writes: int
    batches_done: int
    batches: int
    per_minute: float  # customers in the last minute
    eta_now_s: float | None  # at the current speed
    eta_budget_s: float | None  # at the budget limit
    blackout_until: dt.datetime | None
    failures: tuple[Failure, ...]
    error: str
    # The share of the client's PlentyONE budget exports may spend, per minute.
    budget_reads_per_minute: float = 0.0
    budget_writes_per_minute: float = 0.0
    # Days the customers still to do need at the daily write cap (None: not known yet).
    cap_days: float | None = None

    @property
    def open(self) -> bool:
        return self.status in RUN_OPEN

    @property
    def resumable(self) -> bool:
        return self.status in ("stale", "failed", "cancelled")


def run_progress(run_id: int, now: dt.datetime) -> RunProgress:
    """The progress of run ``run_id`` at ``now`` (naive UTC)."""
    run = Run.get_or_none(Run.id == run_id)
    if run is None:
        raise ConfigError(f"no run {run_id} (see 'plentysync run list')")
    done = sum(getattr(run, name) for name in COUNTS)
    batches: dict[str, int] = dict(
        RunBatch.select(RunBatch.status, pw.fn.COUNT(RunBatch.id))
        .where(RunBatch.run == run.id)
        .group_by(RunBatch.status)
        .tuples()  # type: ignore[arg-type]
    )
    recent = (
        RunItem.select()
        .where((RunItem.run == run.id) & (RunItem.created_at > now - SPEED_WINDOW))
        .count()
    )
    per_minute = float(recent) / (SPEED_WINDOW.total_seconds() / 60)
    left = max(0, run.total - done) if run.enumerated else None
    blackout = _blackout_until(run, now)
    client = client_settings(run.profile.client)
    budget = client.budget()
    wait = (blackout - now).total_seconds() if blackout else 0.0
    eta_now = eta_budget = None
    if left is not None and run.status in RUN_OPEN:
        if per_minute > 0:
            eta_now = wait + left / per_minute * 60
        eta_budget = wait + estimate_export(run.profile, left).full_seconds
    failures = (
        RunItem.select()
        .where((RunItem.run == run.id) & (RunItem.action == "failed"))
        .order_by(RunItem.id.desc())
        .limit(FAILURE_TAIL)
    )
    return RunProgress(
        run_id=run.id,
        profile_id=run.profile_id,
        profile_name=run.profile.name,
        status=run.status,
        trigger=run.trigger,
        enumerated=run.enumerated,
        total=run.total,
        done=done,
        counts=tuple((name, getattr(run, name)) for name in COUNTS),
        api_reads=run.api_reads,
        api_writes=run.api_writes,
        batches_done=batches.get("done", 0) + batches.get("failed", 0),
        batches=sum(batches.values()),
        per_minute=per_minute,
        eta_now_s=eta_now,
        eta_budget_s=eta_budget,
        blackout_until=blackout,
        failures=tuple(Failure(i.entity_key, i.error_class, i.message) for i in failures),
        error=run.error,
        budget_reads_per_minute=budget.reads_per_minute * client.budget_share,
        budget_writes_per_minute=budget.writes_per_minute * client.budget_share,
        cap_days=run_cap_days(run) if run.status in RUN_OPEN else None,
    )


def _blackout_until(run: Run, now: dt.datetime) -> dt.datetime | None:
    moment = now.replace(tzinfo=dt.UTC)
    window = client_settings(run.profile.client).blackout_at(moment)
    if window is None:
        return None
    return window.ends_after(moment).astimezone(dt.UTC).replace(tzinfo=None)
