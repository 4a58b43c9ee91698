"""The inline executor: works a run's batches in this process (CLI, demo, ``serve``)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

from core.db.connection import write_transaction
from core.db.models import Run, utcnow
from core.errors import AuthError, ConfigError
from core.export import index, queue, runs
from core.export.batch import export_batch
from core.export.deps import ExportDeps
from core.export.enumerate import enumerate_chunk, run_keys
from core.export.owner import heartbeat
from core.profiles.service import profile_settings

Progress = Callable[[Run], None]


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
    process died can be resumed at once.
    """
    with heartbeat(run_id):
        return _execute(deps, run_id, progress, sleep)


def _execute(
    deps: ExportDeps, run_id: int, progress: Progress | None, sleep: Callable[[float], None]
) -> Run:
    run = Run.get_by_id(run_id)
    runs.start_run(run_id)
    try:
        prepare(deps, run)
        while True:
            batch_id, due_at = runs.next_due_batch(run_id)
            if batch_id is None:
                if due_at is None:
                    break
                sleep(max(0.05, min(5.0, (due_at - utcnow()).total_seconds())))
                continue
            batch = runs.lease_batch(batch_id, deps.owner)
            if batch is None:
                continue
            result = export_batch(deps, batch)
            if deps.options.queue:
                queue.settle_batch(
                    run, batch.id, [str(k) for k in batch.entity_keys], result.status
                )
            if progress is not None:
                progress(Run.get_by_id(run_id))
            if Run.get_by_id(run_id).status == "cancelled":
                break
    except (AuthError, ConfigError) as exc:
        runs.fail_run(run_id, str(exc))
    except Exception as exc:
        runs.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        index.drop_index(run_id)
        _note_memory(run_id)
    runs.finish_run_if_done(run_id)
    return Run.get_by_id(run_id)


def _note_memory(run_id: int) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with write_transaction():
        Run.update(peak_memory_kb=peak).where(
            (Run.id == run_id) & (Run.peak_memory_kb < peak)
        ).execute()
