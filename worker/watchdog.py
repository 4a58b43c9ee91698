"""The periodic operations check: history retention, the health check and alert mails.

The scheduler's leader runs it after each sweep; ``plentysync status --notify`` runs the
same check from cron or a systemd timer when no scheduler runs. The deployment hands in
what only it knows (``StatusFacts``): its kind, its live workers, where the budget lives,
and the process's settings.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from core.db.models import utcnow
from core.operations.budget import BudgetReader
from core.operations.health import Status, collect_status
from core.operations.history import apply_retention
from core.operations.notify import Incident, health_incidents, notify, run_incidents
from worker.heartbeat import WorkerInfo
from worker.settings import ProcessSettings

log = logging.getLogger(__name__)


class StatusFacts(Protocol):
    """What the status needs from the deployment (``worker.deployment.Deployment``)."""

    @property
    def kind(self) -> str: ...

    @property
    def settings(self) -> ProcessSettings: ...

    def live_workers(self) -> list[WorkerInfo]: ...

    def budget_reader(self) -> BudgetReader: ...


def current_status(facts: StatusFacts, now: dt.datetime | None = None) -> Status:
    """The status with this deployment's live workers and shared budget state."""
    return collect_status(
        facts.settings.core,
        facts.settings.health,
        mode=facts.kind,
        workers=[w.name for w in facts.live_workers()],
        budget_reader=facts.budget_reader(),
        now=now,
    )


def watch_over(facts: StatusFacts, now: dt.datetime | None = None) -> list[Incident]:
    """Apply the retention, check health and runs, mail new incidents; returns the mailed."""
    settings = facts.settings
    cleared = apply_retention(settings.health.history_retention_days, now=now)
    if cleared.runs:
        log.info("history retention: %d runs removed", cleared.runs)
    status = current_status(facts, now)
    incidents = run_incidents(settings.notify.error_share, now=now or utcnow())
    return notify(incidents + health_incidents(status.problems), settings.notify)
