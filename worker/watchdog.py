"""The periodic operations check: history retention, the health check and alert mails.

The scheduler's leader runs it after each sweep; ``plentysync status --notify`` runs the
same check from cron or a systemd timer when no scheduler runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from core.db.models import utcnow
from core.operations.health import Status, collect_status
from core.operations.history import apply_retention
from core.operations.notify import Incident, health_incidents, notify, run_incidents
from core.operations.settings import HealthSettings, NotifySettings
from core.plenty import DatabaseBudgetBackend
from core.settings import get_settings
from worker.backends import shared_backends
from worker.heartbeat import live_workers

log = logging.getLogger(__name__)


def current_status(health: HealthSettings | None = None, now: dt.datetime | None = None) -> Status:
    """The status with this deployment's live workers and shared budget state."""
    budget = shared_backends().budget or DatabaseBudgetBackend()
    return collect_status(
        get_settings(),
        health or HealthSettings(),
        workers=live_workers(),
        budget_reader=budget,  # type: ignore[arg-type]
        now=now,
    )


def watch_over(
    health: HealthSettings | None = None,
    notify_settings: NotifySettings | None = None,
    now: dt.datetime | None = None,
) -> list[Incident]:
    """Apply the retention, check health and runs, mail new incidents; returns the mailed."""
    health = health or HealthSettings()
    cleared = apply_retention(health.history_retention_days, now=now)
    if cleared.runs:
        log.info("history retention: %d runs removed", cleared.runs)
    status = current_status(health, now)
    settings = notify_settings or NotifySettings()
    incidents = run_incidents(settings.error_share, now=now or utcnow())
    return notify(incidents + health_incidents(status.problems), settings)
