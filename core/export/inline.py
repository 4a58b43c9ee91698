"""The inline executor: works a run's batches in this process (CLI, demo, ``serve``)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from core.db.models import Run, utcnow
from core.errors import AuthError, ConfigError, DiskFullError, InfrastructureError
from core.export import index, interleave, queue, results, runs
from core.export.batch import export_batch
from core.export.deps import ExportDeps
from core.export.enumerate import enumerate_chunk, run_keys
from core.export.owner import heartbeat
from core.profiles.service import profile_settings

log = logging.getLogger(__name__)

Progress = Callable[[Run], None]
# An outage of Redis or the database longer than this (seconds) ends the export.
OUTAGE_LIMIT = 15 * 60.0


def prepare(deps: ExportDeps, run: Run) -> None:
    """Enumerate the whole run into batches, then build the contact index if it pays off.

    A resumed run goes on from its cursor; one enumerated already gets no batches twice.
    """
    settings = profile_settings(run.profile)
    size = settings.schedule.process_batch_size
    if not Run.get_by_id(run.id).enumerated:
        while not enumerate_chunk(deps, Run.get_by_id(run.id), size):
            pass
    keys = run_keys(run.id, limit=50_000)
    unlinked = index.unlinked_count(deps.client_id, deps.namespace, keys)
    index.ensure_index(deps, unlinked, len(keys))


def execute_inline(
    deps: ExportDeps,
    run_id: int,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Run:
    """Work ``run_id`` to its end in this process and return the finished run.

    The run records this process as its owner and a heartbeat while it works, so a run whose
    process died can be resumed at once. An outage of Redis or the database is waited out (up
    to ``OUTAGE_LIMIT``) and the interrupted batch tried again. A full disk stops the run,
    which stays resumable, and raises ``DiskFullError`` naming where and which run to resume.
    """
    with heartbeat(run_id):
        return _execute(deps, run_id, progress, sleep)


def _execute(
    deps: ExportDeps, run_id: int, progress: Progress | None, sleep: Callable[[float], None]
) -> Run:
    run = Run.get_by_id(run_id)
    work = _InlineWork(deps, run, progress, sleep)
    try:
        work.start()
        while work.step():
            pass
    except (AuthError, ConfigError) as exc:
        runs.fail_run(run_id, str(exc))
    except DiskFullError as exc:
        work.stop_for(exc.for_run(run_id))
    except OSError as exc:
        full = DiskFullError.of(exc)
        if full is None:
            runs.fail_run(run_id, f"{type(exc).__name__}: {exc}")
            raise
        work.stop_for(full.for_run(run_id))
    except Exception as exc:
        runs.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _quietly(lambda: index.drop_index(run_id))
        _quietly(lambda: runs.note_peak_memory(run_id))
    if runs.finish_run_if_done(run_id) and not deps.history:
        results.drop_results(run_id)
    return Run.get_by_id(run_id)


class _InlineWork:
    """The inline executor's loop, one batch per step, waiting out outages of ours."""

    def __init__(
        self,
        deps: ExportDeps,
        run: Run,
        progress: Progress | None,
        sleep: Callable[[float], None],
    ) -> None:
        self.deps = deps
        self.run = run
        self.progress = progress
        self.sleep = sleep
        self.prepared = False
        # A batch leased when an outage struck and not given back yet.
        self.stuck: int | None = None
        self.down_since: float | None = None
        self.takes_queue = interleave.takes_queue(run)
        self.batch_size = profile_settings(run.profile).schedule.process_batch_size

    def start(self) -> None:
        self._through_outages(lambda: runs.start_run(self.run.id))

    def step(self) -> bool:
        """Work the next due batch (or wait for one); False once the run has nothing left."""
        return self._through_outages(self._step)

    def _step(self) -> bool:
        run_id, deps = self.run.id, self.deps
        if self.stuck is not None:
            runs.release_batch(self.stuck, deps.owner, dt.timedelta(0))
            self.stuck = None
        if not self.prepared:
            prepare(deps, self.run)
            self.prepared = True
        if self.takes_queue:
            # Customers queued meanwhile (new registrations) go before the next bulk batch.
            interleave.queue_to_front(self.run, self.batch_size)
        batch_id, due_at = runs.next_due_batch(run_id)
        if batch_id is None:
            if due_at is None:
                return False
            self.sleep(max(0.05, min(5.0, (due_at - utcnow()).total_seconds())))
            return True
        batch = runs.lease_batch(batch_id, deps.owner)
        if batch is None:
            return True
        self.stuck = batch.id
        result = export_batch(deps, batch)
        self.stuck = None
        if deps.options.queue or interleave.is_front(batch):
            keys = [str(k) for k in batch.entity_keys]
            queue.settle_batch(self.run, batch.id, keys, result.status)
        if self.progress is not None:
            self.progress(Run.get_by_id(run_id))
        # A cancel or a guardrail's pause stops working the run here.
        return Run.get_by_id(run_id).status not in ("cancelled", "paused")

    def _through_outages(self, action: Callable[[], bool]) -> bool:
        while True:
            try:
                done = action()
            except InfrastructureError as exc:
                now = time.monotonic()
                self.down_since = self.down_since or now
                if now - self.down_since > OUTAGE_LIMIT:
                    raise
                log.warning("run %s waits %.0f s: %s", self.run.id, exc.retry_after, exc)
                self.sleep(exc.retry_after)
                continue
            self.down_since = None
            return done

    def stop_for(self, full: DiskFullError) -> None:
        """End the run on a full disk so that ``run resume`` can take it up again."""
        log.error("%s", full)

        def close() -> None:
            if self.stuck is not None:
                runs.release_batch(self.stuck, self.deps.owner, dt.timedelta(0))
            runs.fail_run(self.run.id, str(full))

        # With no space left even this may fail; the message still says what to do.
        _quietly(close)
        raise full


def _quietly(action: Callable[[], object]) -> None:
    """Bookkeeping that must not hide the error that ended a run."""
    try:
        action()
    except (InfrastructureError, DiskFullError) as exc:
        log.warning("run bookkeeping skipped: %s", exc)
