"""``plentysync status``: what runs, what waits, what is stuck, and whether that is healthy.

Everything is read from the database (runs, batches, queue items); the caller adds what
only the deployment knows: the live workers and where PlentyONE's budget state lives.
Unhealthy means a human should look: a stale or paused run, an inline run whose process is
gone, a queue item due for too long, or work waiting while no worker is alive.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from core.db.models import Client, Profile, QueueItem, Run, RunBatch, utcnow
from core.errors import PlentysyncError
from core.export.owner import run_owner
from core.export.runs import RUN_OPEN
from core.operations.budget import BudgetReader, budget_left
from core.operations.settings import HealthSettings
from core.profiles.service import profile_settings
from core.settings import Settings
from core.tools.estimate import run_cap_days

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One reason the service is unhealthy; ``key`` names the incident for notifications."""

    key: str
    message: str


@dataclass
class Status:
    """The state of the whole service at one moment, as collected.

    Front ends read it typed, through ``core.services.status``; this is the raw form the
    watchdog and that service build on.
    """

    mode: str  # redis | single-host
    data_directory: str
    database: str
    workers: list[str]
    profiles: list[dict[str, Any]] = field(default_factory=list)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def safe_database_url(url: str) -> str:
    """The database URL without its password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _age(moment: dt.datetime | None, now: dt.datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def _current_run(profile: Profile) -> dict[str, Any] | None:
    run = (
        Run.select()
        .where((Run.profile == profile.id) & Run.status.in_((*RUN_OPEN, "paused", "stale")))
        .order_by(Run.id.desc())
        .first()
    )
    if run is None:
        return None
    counts: dict[str, int] = dict(
        RunBatch.select(RunBatch.status, pw.fn.COUNT(RunBatch.id))
        .where(RunBatch.run == run.id)
        .group_by(RunBatch.status)
        .tuples()  # type: ignore[arg-type]
    )
    done = sum(run_count for key, run_count in counts.items() if key in ("done", "failed"))
    owner = run_owner(run)
    return {
        "id": run.id,
        "status": run.status,
        "trigger": run.trigger,
        "started_at": run.started_at,
        "last_progress_at": run.last_progress_at,
        "batches_done": done,
        "batches": sum(counts.values()),
        "enumerated": run.enumerated,
        "customers_done": run.created + run.updated + run.unchanged + run.skipped + run.failed,
        "owner": owner.describe(),
        "owner_state": owner.state,
        "pause_reason": run.pause_reason if run.status == "paused" else None,
        "cap_days": _cap_days(run),
    }


def _cap_days(run: Run) -> float | None:
    try:
        return run_cap_days(run)
    except PlentysyncError as exc:  # a client whose settings cannot be read: no estimate
        log.warning("run %s: no days estimate: %s", run.id, exc)
        return None


def _profile_status(
    profile: Profile, now: dt.datetime, stale_after: dt.timedelta
) -> dict[str, Any]:
    pending = QueueItem.select().where(
        (QueueItem.profile == profile.id) & (QueueItem.status == "pending")
    )
    oldest_due = (
        QueueItem.select(pw.fn.MIN(QueueItem.next_attempt_at))
        .where(
            (QueueItem.profile == profile.id)
            & (QueueItem.status == "pending")
            & (QueueItem.next_attempt_at <= now)
        )
        .scalar()
    )
    last_success = (
        Run.select(pw.fn.MAX(Run.finished_at))
        .where((Run.profile == profile.id) & (Run.status == "done"))
        .scalar()
    )
    try:
        scheduled = profile_settings(profile).schedule.status
    except PlentysyncError:
        scheduled = False
    return {
        "id": profile.id,
        "name": profile.name,
        "paused": profile.paused,
        "scheduled": scheduled,
        "last_success": last_success,
        "current_run": _current_run(profile),
        "queue_depth": pending.count(),
        "oldest_pending_age_s": _age(oldest_due, now),
        "failed_items": QueueItem.select()
        .where((QueueItem.profile == profile.id) & (QueueItem.status == "failed"))
        .count(),
        "stale_runs": [
            r.id
            for r in Run.select(Run.id).where(
                (Run.profile == profile.id) & _stale(now, stale_after)
            )
        ],
    }


def _stale(now: dt.datetime, after: dt.timedelta) -> Any:
    """Runs marked stale by the sweeper, or running without progress (no sweeper running)."""
    limit = now - after
    return (Run.status == "stale") | (
        (Run.status == "running") & (pw.fn.COALESCE(Run.last_progress_at, Run.created_at) < limit)
    )


def collect_status(
    settings: Settings,
    health: HealthSettings,
    *,
    mode: str,
    workers: list[str],
    budget_reader: BudgetReader | None,
    now: dt.datetime | None = None,
) -> Status:
    """The status of every profile and client, and the problems that make it unhealthy.

    ``mode``, ``workers`` and ``budget_reader`` are the deployment's facts (single host or
    Redis, who works the queues, where the budget lives): core does not decide them.
    """
    moment = now or utcnow()
    status = Status(
        mode=mode,
        data_directory=str(settings.home),
        database=safe_database_url(settings.resolved_database_url),
        workers=workers,
    )
    stale_after = dt.timedelta(seconds=health.stale_after_s)
    work_waits = False
    for profile in Profile.select().order_by(Profile.id):
        row = _profile_status(profile, moment, stale_after)
        status.profiles.append(row)
        for run_id in row["stale_runs"]:
            status.problems.append(
                Problem(f"stale-run:{run_id}", f"profile {profile.name}: run {run_id} is stale")
            )
        age = row["oldest_pending_age_s"]
        if age is not None and age > health.oldest_pending_s and not profile.paused:
            status.problems.append(
                Problem(
                    f"old-pending:{profile.id}",
                    f"profile {profile.name}: a queue item has waited {age:.0f} s "
                    f"(threshold {health.oldest_pending_s:.0f} s)",
                )
            )
        current = row["current_run"]
        open_run = current is not None and current["status"] in RUN_OPEN
        if open_run and current["owner_state"] == "gone":
            status.problems.append(
                Problem(
                    f"dead-owner:{current['id']}",
                    f"profile {profile.name}: run {current['id']} is open but its "
                    f"{current['owner']} is gone; 'plentysync run resume {current['id']}' "
                    "continues it",
                )
            )
        if current is not None and current["pause_reason"]:
            status.problems.append(
                Problem(
                    f"paused-run:{current['id']}",
                    f"profile {profile.name}: run {current['id']} paused: "
                    f"{current['pause_reason']}; 'plentysync run resume {current['id']}' goes "
                    f"on, 'plentysync run cancel {current['id']}' stops it",
                )
            )
        # An inline run whose process is alive is being worked without any worker.
        inline = open_run and current["owner_state"] == "alive"
        if not profile.paused and ((open_run and not inline) or age is not None):
            work_waits = True
    if work_waits and not workers:
        status.problems.append(Problem("no-worker", "work waits but no worker is alive"))
    if budget_reader is not None:
        for client in Client.select().order_by(Client.id):
            try:
                left = budget_left(client, budget_reader)
            except PlentysyncError as exc:
                log.warning("client %s: budget not readable: %s", client.name, exc)
                continue
            status.budgets.append({"client": client.name, **left})
    return status
