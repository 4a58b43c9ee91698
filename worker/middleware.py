"""The Dramatiq middleware every plentysync worker broker carries: process set-up, database."""

from __future__ import annotations

import dramatiq

from core.db import init_database
from core.files import restrict_umask
from core.operations.logfile import configure_logging


class ProcessSetup(dramatiq.Middleware):
    """In each ``dramatiq`` worker process: private files, and the CLI's masked logging.

    Dramatiq has given the process its log stream by then; ``serve`` and ``scheduler`` get
    the same set-up from the CLI, so this hook only runs in Dramatiq's own processes.
    """

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        restrict_umask()
        configure_logging()


class DatabaseMiddleware(dramatiq.Middleware):
    """Opens the configured database once per worker process, before the first message."""

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        init_database(announce=True)
