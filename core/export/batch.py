"""``export_batch``: the one function every executor calls to work a leased batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.db.models import RunBatch
from core.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    DataError,
    InfrastructureError,
    Parked,
    ValidationError,
    Waiting,
)
from core.export import guardrails, relations, results, runs
from core.export.deps import ExportDeps
from core.export.entity import Outcome, draft_customer, export_entity, missing, refused
from core.export.guests import guest_drafts
from core.export.identity import BatchKey, is_guest_batch_key
from core.export.plan import Drafts
from core.export.preload import links_of_drafts
from core.export.result_text import RESULTS_LOGGER
from core.magento import Customer
from core.plenty import CallCounts
from core.states import Action, BatchEnd

log = logging.getLogger(__name__)
# One line per customer; ``core.operations.logfile.set_verbosity`` lets it through at -v only.
results_log = logging.getLogger(RESULTS_LOGGER)

Drafter = Callable[[ExportDeps, list[str]], dict[str, Drafts | Outcome]]


@dataclass
class BatchResult:
    """What one go at a batch came to, the actions it counted, and how long it must wait."""

    status: BatchEnd
    counts: dict[str, int] = field(default_factory=dict)
    retry_after: float = 0.0


# The reason of a customer named by id (--entity-ids) that Magento does not have.
NOT_IN_MAGENTO = "no customer with this id in Magento"


def customer_drafts(deps: ExportDeps, keys: list[str]) -> dict[str, Drafts | Outcome]:
    """Fetch the batch's customers from Magento in one call and plan each of them.

    A record that cannot be read fails alone, with the field and value to fix.
    """
    records = deps.magento.customers.read(int(k) for k in keys)
    by_key = {str(r.id if isinstance(r, Customer) else r.record_id): r for r in records}
    drafts: dict[str, Drafts | Outcome] = {}
    for key in keys:
        record = by_key.get(key)
        if isinstance(record, Customer):
            drafts[key] = draft_customer(deps, record)
        elif record is not None:
            drafts[key] = refused(record.error())
        else:
            named = deps.options.entity_ids is not None
            drafts[key] = missing(
                records, NOT_IN_MAGENTO if named else "no longer in Magento (deleted)"
            )
    return drafts


def _calls(deps: ExportDeps) -> CallCounts:
    return deps.plenty.calls


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.fields:
        fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
        return f"{exc.message} ({fields})"
    return str(exc)


def drafts_for(deps: ExportDeps, keys: list[str]) -> dict[str, Drafts | Outcome]:
    """Customers or guests: a batch holds one kind, told apart by the guest key prefix."""
    if keys and is_guest_batch_key(keys[0]):
        return guest_drafts(deps, keys)
    return customer_drafts(deps, keys)


def batch_claim_owner(run_id: int, batch_id: int) -> str:
    """The owner of the create claims taken for a batch, the same for every attempt at it."""
    return f"run {run_id} batch {batch_id}"


def export_batch(deps: ExportDeps, batch: RunBatch, drafter: Drafter = drafts_for) -> BatchResult:
    """Export the entities of a leased batch, committing each entity's result as it goes.

    The two kinds of ``Later`` decide what is given back: on ``Waiting`` (a budget, a 429,
    an outage of Redis or the database) and on a passed ``deps.deadline`` the batch goes back
    with its remaining keys without spending an attempt; ``Parked`` entities (transient
    failures among them) come back in the same batch after ``park_delay``, for an attempt.
    """
    deps = dataclasses.replace(deps, claim_owner=batch_claim_owner(deps.run_id, batch.id))
    result = BatchResult("done")
    # A batch worked again (its worker died, its message came twice) skips what is recorded.
    keys = [str(k) for k in batch.entity_keys]
    recorded = results.final_entities(deps.run_id, (entity_of(k) for k in keys))
    keys = [k for k in keys if entity_of(k) not in recorded]
    if not keys:
        # Its entities are recorded; relations an earlier attempt left pending go out now.
        return _finish(deps, batch, result)
    if guardrails.before_batch(deps, keys):
        # The run paused: the batch waits, untouched, for ``run resume``.
        runs.release_batch(batch.id, deps.owner, dt.timedelta(0), keys=keys)
        return BatchResult("waiting")
    before = _calls(deps)
    try:
        drafts = drafter(deps, keys)
    except Waiting as exc:
        return _wait(deps, batch, keys, exc, BatchResult("waiting"))
    except Parked as exc:
        runs.release_batch(batch.id, deps.owner, deps.park_delay, count_attempt=True)
        log.warning("batch %s: reading Magento failed (%s); it is tried again", batch.id, exc)
        return BatchResult("parked")
    after = _calls(deps)
    # Every entity's links in a few queries, instead of a few queries per entity.
    deps.batch_links = links_of_drafts(deps.client_id, deps.namespace, drafts.values())
    runs.add_api_calls(
        deps.run_id, reads=after.read - before.read, writes=after.write - before.write
    )
    parked: list[tuple[str, str]] = []
    # Outcomes without a write lose nothing in a crash (they are worked again), so they are
    # committed together; an entity with a write committed its result with its link.
    quiet: list[tuple[str, Outcome, int, float | None]] = []
    try:
        for position, key in enumerate(keys):
            if position and deps.out_of_time():
                # The batch's time is up: the rest goes back now, before the next entity's
                # writes.
                rest = [k for k, _ in parked] + keys[position:]
                _record_quiet(deps, quiet, result)
                _send_relations(deps, batch)
                runs.release_batch(batch.id, deps.owner, dt.timedelta(0), keys=rest)
                result.status = "waiting"
                return result
            start, began = _calls(deps), time.monotonic()
            planned = drafts[key]
            deps.entity = entity_of(key)
            try:
                outcome = planned if isinstance(planned, Outcome) else export_entity(deps, planned)
            except Waiting as exc:
                rest = [k for k, _ in parked] + keys[position:]
                if not isinstance(exc, InfrastructureError):
                    # The database is fine: what was decided is committed before the wait.
                    _record_quiet(deps, quiet, result)
                return _wait(deps, batch, rest, exc, result)
            except (AuthError, ConfigError):
                raise
            except ConflictError as exc:
                outcome = Outcome("conflict", message=str(exc))
            except Parked as exc:
                outcome = Outcome("parked", message=str(exc), parked=True)
            except DataError as exc:
                outcome = Outcome("failed", message=_describe(exc))
            end = _calls(deps)
            reads, writes = end.read - start.read, end.write - start.write
            if outcome.parked:
                parked.append((key, outcome.message))
                runs.add_api_calls(deps.run_id, reads=reads, writes=writes)
                continue
            took = time.monotonic() - began
            if writes:
                _count(result, _record(deps, key, outcome, reads, writes, seconds=took))
            else:
                quiet.append((key, outcome, reads, took))
    finally:
        # However the loop ends (a budget wait, an auth failure), what was decided is kept.
        _record_quiet(deps, quiet, result)
    if parked and batch.attempts < deps.max_batch_attempts:
        _send_relations(deps, batch)
        runs.release_batch(
            batch.id, deps.owner, deps.park_delay, keys=[k for k, _ in parked], count_attempt=True
        )
        result.status = "parked"
        guardrails.after_batch(deps)
        return result
    quiet = [
        (
            key,
            Outcome("failed", message=f"gave up after {batch.attempts} attempts: {message}"),
            0,
            None,
        )
        for key, message in parked
    ]
    _record_quiet(deps, quiet, result)
    _finish(deps, batch, result)
    guardrails.after_batch(deps)
    return result


def _send_relations(deps: ExportDeps, batch: RunBatch) -> tuple[dt.timedelta, bool] | None:
    """Send the batch's pending relations; when they could not go now, the delay before
    trying again and whether it was a failure (a timeout, a server error) rather than a
    budget wait. The rows stay for the next attempt either way.
    """
    try:
        relations.send_pending(deps)
    except Waiting as exc:
        log.debug("batch %s: relations wait %.0f s: %s", batch.id, exc.retry_after, exc)
        return dt.timedelta(seconds=exc.retry_after), False
    except Parked as exc:
        log.warning("batch %s: %s; it is tried again", batch.id, exc)
        return deps.park_delay, True
    return None


def _finish(deps: ExportDeps, batch: RunBatch, result: BatchResult) -> BatchResult:
    """Settle a batch whose entities are recorded, once its relations went out.

    Otherwise the batch comes back with no keys, for its relations alone; after
    ``max_batch_attempts`` failed tries it is settled and a later batch or run takes the
    rows over (see ``relations``).
    """
    unsent = _send_relations(deps, batch)
    if unsent is not None and unsent[1] and batch.attempts >= deps.max_batch_attempts:
        log.warning("batch %s: its relations are left to a later run", batch.id)
        unsent = None
    if unsent is None:
        runs.settle_batch(batch.id, deps.owner, "done")
        return result
    delay, failed = unsent
    runs.release_batch(batch.id, deps.owner, delay, keys=[], count_attempt=failed)
    result.status, result.retry_after = "waiting", delay.total_seconds()
    return result


def _wait(
    deps: ExportDeps,
    batch: RunBatch,
    rest: list[str],
    exc: Waiting,
    result: BatchResult,
) -> BatchResult:
    """Give the batch's ``rest`` back for ``exc.retry_after`` s, without spending an attempt.

    A budget is spent or our Redis or database failed, not a customer. When the database
    itself cannot take the batch back, the error goes on to the executor and the batch's
    lease runs out instead.
    """
    outage = isinstance(exc, InfrastructureError)
    level = logging.WARNING if outage else logging.DEBUG
    log.log(level, "batch %s waits %.0f s: %s", batch.id, exc.retry_after, exc)
    try:
        runs.release_batch(batch.id, deps.owner, dt.timedelta(seconds=exc.retry_after), keys=rest)
    except InfrastructureError as again:
        log.warning("batch %s not given back (%s); its lease runs out instead", batch.id, again)
        # The executor waits out the outage, whichever wait came first.
        stuck = exc if isinstance(exc, InfrastructureError) else again
    else:
        result.status, result.retry_after = "waiting", exc.retry_after
        return result
    raise stuck


def entity_of(key: str) -> results.EntityRef:
    """The run item's (entity type, key) of a batch key (guest keys carry a prefix)."""
    return BatchKey.parse(key).entity


def _record_quiet(
    deps: ExportDeps, quiet: list[tuple[str, Outcome, int, float | None]], result: BatchResult
) -> None:
    """Commit the collected outcomes without a write together, in a few statements."""
    if not quiet:
        return
    items = [
        results.QuietResult(
            entity_of(key),
            "failed" if outcome.action == "parked" else outcome.action,
            reads=reads,
            contact_id=outcome.contact_id,
            message=outcome.message,
            seconds=seconds,
        )
        for key, outcome, reads, seconds in quiet
    ]
    kept = results.record_quiet_results(deps.run_id, items)
    for (key, outcome, _, _), action in zip(quiet, kept, strict=True):
        _count(result, action)
        _log_result(key, outcome, action)
    quiet.clear()


def _count(result: BatchResult, action: str) -> None:
    result.counts[action] = result.counts.get(action, 0) + 1


def _record(
    deps: ExportDeps,
    key: str,
    outcome: Outcome,
    reads: int,
    writes: int,
    *,
    seconds: float | None = None,
) -> str:
    """The entity's final result, counted on the run once, however often its batch is worked.

    It keeps how long the entity took (``seconds``), when it was timed. Returns the action
    kept (a create of an earlier attempt stays a create).
    """
    # A parked entity has no result yet; it is only recorded once it gave up (as failed).
    action: Action = "failed" if outcome.action == "parked" else outcome.action
    kept = results.record_result(
        deps.run_id,
        entity_of(key),
        action,
        reads=reads,
        writes=writes,
        contact_id=outcome.contact_id,
        message=outcome.message,
        seconds=seconds,
    )
    _log_result(key, outcome, kept)
    return kept


def _log_result(key: str, outcome: Outcome, kept: str) -> None:
    if results_log.isEnabledFor(logging.INFO):
        kind, entity_key = entity_of(key)
        contact = f", contact {outcome.contact_id}" if outcome.contact_id else ""
        reason = f": {outcome.message}" if outcome.message else ""
        results_log.info("%s %s %s%s%s", kind, entity_key, kept, contact, reason)
