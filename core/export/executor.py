"""Executors: who works a run's batches. Every executor ends in ``export_batch``.

* ``InlineExecutor`` works the run in this process until it is finished (CLI, demo, serve).
* The Dramatiq executor (``worker/``) sends one message per batch id to the workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.db.models import Run
from core.export.deps import ExportDeps
from core.export.inline import Progress, execute_inline
from core.export.service import close_deps, open_deps


class Executor(Protocol):
    """Takes a created run and sees that its batches get worked."""

    def submit(self, run: Run) -> None: ...


class InlineExecutor:
    """Works the run right here; ``submit`` returns when the run is finished."""

    def __init__(
        self,
        open_run_deps: Callable[[Run], ExportDeps] = open_deps,
        progress: Progress | None = None,
    ) -> None:
        self._open = open_run_deps
        self._progress = progress
        self.finished: Run | None = None

    def submit(self, run: Run) -> None:
        deps = self._open(run)
        try:
            self.finished = execute_inline(deps, run.id, progress=self._progress)
        finally:
            close_deps(deps)
