"""The worker processes' entry point: ``dramatiq worker.actors``.

Importing this module installs the deployment's broker with the middleware a worker process
needs (private files and logging, the database, heartbeats, metrics) and declares the
actors of ``worker.routes`` on it. Nothing else imports it: code that sends work uses the
deployment's courier.
"""

from __future__ import annotations

import logging

from core.db import init_database
from worker.deployment import choose_deployment
from worker.metrics import install_metrics, serve_exposition
from worker.middleware import DatabaseMiddleware, ProcessSetup
from worker.routes import MAX_RETRIES, transient_only

__all__ = ["MAX_RETRIES", "broker", "deployment", "exposition", "transient_only"]

log = logging.getLogger(__name__)


def exposition() -> int:
    """The metrics exposition process Dramatiq forks beside the workers (by this name)."""
    found = choose_deployment()
    init_database(announce=False)
    serve_exposition(found.settings.metrics, found.budget_reader())
    return 0


deployment = choose_deployment()
broker = deployment.broker()
broker.add_middleware(ProcessSetup())
broker.add_middleware(DatabaseMiddleware())
install_metrics(broker, deployment.settings.metrics, exposition)
deployment.install_broker()
