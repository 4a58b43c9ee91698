"""What each actor does, as plain functions over ids: enumerate, export a batch, drain, watch.

Every job reads its state from the database, does a short piece of work and sends the next
message; none of them runs for long or holds work only in memory. Waiting for PlentyONE's
budget gives the batch back and re-sends its message with a delay, so it never costs a
Dramatiq retry and never outlives the actor's time limit.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import peewee as pw

from core.clients import client_settings
from core.db.connection import database, write_transaction
from core.db.models import Profile, Run, RunBatch, ScheduleFiring, utcnow
from core.errors import (
    AuthError,
    ConfigError,
    DiskFullError,
    InfrastructureError,
    RateLimitedError,
)
from core.export import guardrails, index, queue, results, runs
from core.export.batch import export_batch
from core.export.collect import collect_client, collect_source
from core.export.connections import open_magento, open_plenty
from core.export.deps import ExportDeps
from core.export.enumerate import enumerate_chunk
from core.export.interleave import is_front, queue_to_front, takes_queue
from core.export.service import close_deps, open_deps, start_export, worker_name
from core.export.watch import watch_source
from core.profiles.service import profile_settings
from core.ticker import ticking
from worker.sending import Sender
from worker.settings import get_worker_settings
from worker.time_limit import batch_time_limit

log = logging.getLogger(__name__)


def open_worker_deps(run: Run, courier: Sender) -> ExportDeps:
    """The run's clients with the token and budget every worker shares."""
    settings = get_worker_settings()
    overrides: dict[str, object] = {}
    if settings.plenty_window_s is not None:
        overrides["window"] = settings.plenty_window_s
    deps = open_deps(run, owner=worker_name(), backends=courier.backends, **overrides)
    deps.park_delay = dt.timedelta(seconds=settings.park_delay_s)
    deps.claim_ttl = dt.timedelta(seconds=settings.claim_ttl_s)
    deps.deadline = time.monotonic() + settings.batch_s
    return deps


@contextmanager
def kept_leased(batch_id: int, owner: str) -> Iterator[None]:
    """Renew the batch's lease while this worker works on it.

    The lease is short (``lease_s``) and renewed every third of it, so a batch of a worker
    that was killed is free again soon, however long a live worker needs for it.
    """
    ttl = dt.timedelta(seconds=get_worker_settings().lease_s)

    def renew() -> bool:
        try:
            return runs.renew_lease(batch_id, owner, ttl)
        except InfrastructureError as exc:
            # The database is away for a moment; the next renewal tries again.
            log.warning("batch %s: lease not renewed: %s", batch_id, exc)
            return True

    with ticking(renew, ttl.total_seconds() / 3, name=f"lease-{batch_id}", at_end=database.close):
        yield


def enumerate_run(run_id: int, courier: Sender) -> None:
    """Add the next chunk of the run's batches, send them, and re-send itself if more remain."""
    run = Run.get_or_none(Run.id == run_id)
    if run is None or run.status not in runs.RUN_OPEN:
        return
    runs.start_run(run_id)
    last = RunBatch.select(pw.fn.MAX(RunBatch.id)).where(RunBatch.run == run_id).scalar() or 0
    deps = open_worker_deps(run, courier)
    try:
        size = profile_settings(run.profile).schedule.process_batch_size
        with kept_in_progress(run_id):
            if not run.cursor and not run.enumerated:
                # Batches go out as they are enumerated, so the index is decided up front.
                total = deps.magento.customers.count()
                if deps.options.limit is not None:
                    total = min(total, deps.options.limit)
                linked = index.linked_count(deps.client_id, deps.namespace, "customer")
                index.ensure_index(deps, max(0, total - linked), total)
            done = enumerate_chunk(deps, Run.get_by_id(run_id), size)
    except (AuthError, ConfigError) as exc:
        runs.fail_run(run_id, str(exc))
        return
    except RateLimitedError as exc:
        # The shop (a 429) or PlentyONE's budget asks for a pause: go on from the cursor then.
        log.info("run %s: enumeration waits %.0f s: %s", run_id, exc.retry_after, exc)
        courier.enumerate(run_id, delay=exc.retry_after)
        return
    except DiskFullError as exc:
        stop_for_full_disk(run_id, exc)
        return
    finally:
        close_deps(deps)
    with write_transaction():
        # Enumerating is progress too: the sweeper must not think this run was forgotten.
        Run.update(last_progress_at=utcnow()).where(Run.id == run_id).execute()
    send_batches(run, courier, after_id=last)
    if not done:
        courier.enumerate(run_id)
    else:
        finish(run_id, courier)


def send_batches(
    run: Run, courier: Sender, *, after_id: int = 0, only: list[int] | None = None
) -> int:
    """Send a message for each open batch of the run (above ``after_id``, or ``only`` these)."""
    limit = batch_time_limit(run)
    sent = 0
    query = RunBatch.select(RunBatch.id, RunBatch.not_before).where(
        (RunBatch.run == run.id) & RunBatch.status.in_(runs.BATCH_OPEN) & (RunBatch.id > after_id)
    )
    if only is not None:
        query = query.where(RunBatch.id.in_(only))
    for batch in query:
        courier.batch(run.id, batch.id, delay=_until(batch.not_before), time_limit_s=limit)
        sent += 1
    return sent


@contextmanager
def kept_in_progress(run_id: int) -> Iterator[None]:
    """Mark the run as making progress while this worker enumerates it.

    An enumeration may take longer than the sweeper's grace (reading every contact for the
    index, under 429s); without this mark the sweeper takes its message for lost and starts
    another enumeration beside it, again at every sweep, each one reading the same pages. The
    mark comes every third of ``lease_s``, as a batch's lease renewal does, so an enumeration
    whose worker was killed is still restarted soon.
    """
    every = get_worker_settings().lease_s / 3

    def mark() -> None:
        try:
            with write_transaction():
                Run.update(last_progress_at=utcnow()).where(
                    (Run.id == run_id) & Run.status.in_(runs.RUN_OPEN)
                ).execute()
        except InfrastructureError as exc:
            # The database is away for a moment; the next mark tries again.
            log.warning("run %s: enumeration progress not marked: %s", run_id, exc)

    with ticking(mark, every, name=f"enumerate-{run_id}", at_end=database.close):
        yield


def work_batch(batch_id: int, courier: Sender) -> None:
    """Lease the batch, export it, and re-send it with a delay when it has to wait."""
    batch = RunBatch.get_or_none(RunBatch.id == batch_id)
    if batch is None or batch.run.status != "running":
        return
    run: Run = batch.run
    limit = batch_time_limit(run)
    if batch.status == "pending" and batch.not_before and _until(batch.not_before) > 0:
        # A duplicate message came early (the sweeper re-sent it): come back when it is due.
        courier.batch(run.id, batch_id, delay=_until(batch.not_before), time_limit_s=limit)
        return
    if not is_front(batch):
        # Customers queued meanwhile (new registrations) go ahead, on the live queue.
        send_front(run, courier)
    deps = open_worker_deps(run, courier)
    try:
        ttl = dt.timedelta(seconds=get_worker_settings().lease_s)
        leased = runs.lease_batch(batch_id, deps.owner, ttl)
        if leased is None:
            return
        keys = [str(k) for k in leased.entity_keys]
        if leased.attempts > deps.max_batch_attempts:
            # Its workers kept dying or failing on it: stop, so one batch cannot loop forever.
            message = f"gave up after {leased.attempts - 1} attempts that did not finish"
            runs.settle_batch(batch_id, deps.owner, "failed", message)
            finish(run.id, courier)
            return
        try:
            with kept_leased(batch_id, deps.owner):
                result = export_batch(deps, leased)
            runs.note_peak_memory(run.id)
        except (AuthError, ConfigError) as exc:
            runs.fail_run(run.id, str(exc))
            return
        except DiskFullError as exc:
            stop_for_full_disk(run.id, exc, batch_id=batch_id, owner=deps.owner)
            return
    finally:
        close_deps(deps)
    if result.status == "waiting":
        courier.batch(run.id, batch_id, delay=result.retry_after, time_limit_s=limit)
    elif result.status == "parked":
        courier.batch(run.id, batch_id, delay=deps.park_delay.total_seconds(), time_limit_s=limit)
    if runs.run_options(run).queue or is_front(leased):
        queue.settle_batch(run, batch_id, keys, result.status)
    finish(run.id, courier)


def send_front(run: Run, courier: Sender) -> int | None:
    """Put the profile's due queue items in front of the open bulk ``run`` and send them."""
    if run.status != "running" or not takes_queue(run):
        return None
    size = profile_settings(run.profile).schedule.process_batch_size
    front = queue_to_front(run, size)
    if front is not None:
        courier.batch(run.id, front, time_limit_s=batch_time_limit(run))
    return front


def stop_for_full_disk(
    run_id: int, exc: DiskFullError, *, batch_id: int | None = None, owner: str = ""
) -> None:
    """Fail the run with the one line an operator needs; ``run resume`` takes it up again."""
    full = exc.for_run(run_id)
    log.error("%s", full)
    try:
        if batch_id is not None:
            runs.release_batch(batch_id, owner, dt.timedelta(0))
        runs.fail_run(run_id, str(full))
    except (DiskFullError, InfrastructureError) as again:
        # With no space left even this may fail: the run then goes stale and resumes too.
        log.warning("run %s could not be marked failed: %s", run_id, again)


def finish(run_id: int, courier: Sender) -> None:
    """Close the run when its last batch is done; a finished drain looks at the queue again."""
    status = runs.finish_run_if_done(run_id)
    if status is None:
        return
    index.drop_index(run_id)
    run = Run.get_by_id(run_id)
    if not profile_settings(run.profile).schedule.enable_history:
        results.drop_results(run_id)
    log.info("run %s of profile %s is %s", run_id, run.profile_id, status)
    # Also after a bulk run: what was queued during it and it could not take drains now.
    if queue.due_count(run.profile_id):
        courier.drain(run.profile_id)


def start_exclusive(profile: Profile, options: runs.RunOptions, trigger: str) -> Run | None:
    """Create a run unless the profile has an open one: a profile never runs twice at once.

    Two schedulers or workers may create runs at the same moment; each then sees the
    other's, and the younger one withdraws, so exactly one goes on.
    """
    if runs.running_run(profile.id) is not None:
        return None
    run = start_export(profile, options, trigger)
    older = runs.running_run(profile.id, exclude=run.id)
    if older is not None and older.id < run.id:
        with write_transaction():
            Run.delete().where(Run.id == run.id).execute()
        return None
    return run


def drain_queue(profile_id: int, courier: Sender) -> Run | None:
    """Start a run over the profile's due queue items, unless one is open or nothing is due."""
    profile = Profile.get_or_none(Profile.id == profile_id)
    if profile is None or profile.paused or not queue.due_count(profile_id):
        return None
    if client_settings(profile.client).in_blackout(dt.datetime.now(dt.UTC)):
        # The items stay due: the first firing after the window drains them.
        log.info("profile %s: queue not drained inside a blackout window", profile.name)
        return None
    open_run = runs.running_run(profile.id)
    if open_run is not None:
        # A bulk export is working: it takes the queue in front of its own batches.
        send_front(open_run, courier)
        return None
    run = start_exclusive(profile, queue.drain_options(profile), "queue")
    if run is not None:
        courier.enumerate(run.id)
    return run


def reconcile(profile_id: int, courier: Sender) -> Run | None:
    """Start a full export of the profile (the optional reconciliation schedule)."""
    profile = Profile.get_or_none(Profile.id == profile_id)
    if profile is None or profile.paused:
        return None
    behaviour = profile_settings(profile).http_api.scheduled_behaviour
    run = start_exclusive(profile, runs.RunOptions(behaviour=behaviour), "reconcile")
    if run is not None:
        courier.enumerate(run.id)
    return run


def watch(profile_id: int, firing_id: int | None, courier: Sender) -> None:
    """Queue what changed in the profile's store since the last watch, then drain the queue."""
    profile = Profile.get_or_none(Profile.id == profile_id)
    if profile is None or profile.paused:
        return
    try:
        with open_magento(profile.source) as magento:
            found = watch_source(profile, magento)
    except RateLimitedError as exc:
        # The shop answered 429: the bookmark keeps what was queued; the next firing goes on.
        log.warning("profile %s: watch skipped, Magento asks to wait: %s", profile.name, exc)
        return
    log.info(
        "profile %s: %d changed customers queued, %d deleted reported",
        profile.name,
        found.changed,
        found.deleted,
    )
    run = drain_queue(profile_id, courier)
    if firing_id is not None and run is not None:
        with write_transaction():
            ScheduleFiring.update(run_id=run.id).where(ScheduleFiring.id == firing_id).execute()


def collect_config(profile_id: int, courier: Sender) -> None:
    """Collect the reference data of the profile's client and source again."""
    profile = Profile.get_by_id(profile_id)
    try:
        with open_plenty(profile.client, courier.backends) as plenty:
            collect_client(profile.client_id, plenty)
    except RateLimitedError as exc:
        # Waiting for budget is no failure: come back when PlentyONE has room again.
        courier.collect(profile_id, delay=exc.retry_after)
        return
    try:
        with open_magento(profile.source) as magento:
            collect_source(profile.source_id, magento)
    except RateLimitedError as exc:
        # The shop answered 429: the same, once it has room again.
        courier.collect(profile_id, delay=exc.retry_after)


def _until(moment: dt.datetime | None) -> float:
    if moment is None:
        return 0.0
    return max(0.0, (moment - utcnow()).total_seconds())


def resume_run(run_id: int, courier: Sender | None) -> bool:
    """Open a paused, stale, failed or cancelled run again; its failed batches get fresh
    attempts.

    With a courier the run's messages are sent now; without one (single host) the sweeper
    of ``plentysync serve`` sends them.
    """
    now = utcnow()
    run = Run.get_or_none(Run.id == run_id)
    if run is None:
        return False
    changes: dict[Any, Any] = {
        Run.status: "running",
        Run.error: "",
        Run.finished_at: None,
        Run.last_progress_at: now,
    }
    if run.status == "paused":
        # Resuming says the pause was looked at: its guardrail lets the run go on.
        changes[Run.guard] = guardrails.accepted(run)
    with write_transaction():
        reopened = (
            Run.update(changes)
            .where((Run.id == run_id) & Run.status.in_(runs.RUN_RESUMABLE))
            .execute()
        )
        if not reopened:
            return False
        RunBatch.update(
            status="pending", attempts=0, error="", not_before=None, updated_at=now
        ).where((RunBatch.run == run_id) & (RunBatch.status == "failed")).execute()
    if courier is not None:
        run = Run.get_by_id(run_id)
        if not run.enumerated:
            courier.enumerate(run_id)
        send_batches(run, courier)
    return True
