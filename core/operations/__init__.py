"""Daily operations: run history, status and health, alert mails, metrics and key rotation.

Nothing here needs Dramatiq or Prometheus: the worker and the CLI wire these functions to
their live workers, budget backends and exposition server.
"""

from core.operations.health import Problem, Status, collect_status, safe_database_url
from core.operations.history import Cleared, apply_retention, clear_history, list_runs, run_items
from core.operations.keys import Rotation, rotate_key, rotate_stored_secrets
from core.operations.metrics import Reading, database_readings
from core.operations.notify import (
    Incident,
    health_incidents,
    notify,
    open_incidents,
    run_incidents,
    send_mail,
)
from core.operations.settings import HealthSettings, NotifySettings

__all__ = [
    "Cleared",
    "HealthSettings",
    "Incident",
    "NotifySettings",
    "Problem",
    "Reading",
    "Rotation",
    "Status",
    "apply_retention",
    "clear_history",
    "collect_status",
    "database_readings",
    "health_incidents",
    "list_runs",
    "notify",
    "open_incidents",
    "rotate_key",
    "rotate_stored_secrets",
    "run_incidents",
    "run_items",
    "safe_database_url",
    "send_mail",
]
