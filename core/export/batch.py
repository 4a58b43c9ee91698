"""``export_batch``: the one function every executor calls to work a leased batch."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from core.db.models import RunBatch
from core.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    DataError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from core.export import runs
from core.export.deps import ExportDeps
from core.export.entity import Outcome, Plan, export_entity, missing, plan_customer, refused
from core.export.guests import GUEST_PREFIX, guest_plans
from core.magento import Customer
from core.plenty import CallCounts

log = logging.getLogger(__name__)

Planner = Callable[[ExportDeps, list[str]], dict[str, Plan | Outcome]]


@dataclass
class BatchResult:
    status: str  # done | parked | waiting | failed
    counts: dict[str, int] = field(default_factory=dict)
    retry_after: float = 0.0


# The reason of a customer named by id (--entity-ids) that Magento does not have.
NOT_IN_MAGENTO = "no customer with this id in Magento"


def customer_plans(deps: ExportDeps, keys: list[str]) -> dict[str, Plan | Outcome]:
    """Fetch the batch's customers from Magento in one call and plan each of them.

    A record that cannot be read fails alone, with the field and value to fix.
    """
    records = deps.magento.customers.read(int(k) for k in keys)
    by_key = {str(r.id if isinstance(r, Customer) else r.record_id): r for r in records}
    plans: dict[str, Plan | Outcome] = {}
    for key in keys:
        record = by_key.get(key)
        if isinstance(record, Customer):
            plans[key] = plan_customer(deps, record)
        elif record is not None:
            plans[key] = refused(record.error())
        else:
            named = deps.options.entity_ids is not None
            plans[key] = missing(
                records, NOT_IN_MAGENTO if named else "no longer in Magento (deleted)"
            )
    return plans


def _calls(deps: ExportDeps) -> CallCounts:
    return deps.plenty.calls


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.fields:
        fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
        return f"{exc.message} ({fields})"
    return str(exc)


def plans_for(deps: ExportDeps, keys: list[str]) -> dict[str, Plan | Outcome]:
    """Customers or guests: a batch holds one kind, told apart by the guest key prefix."""
    if keys and keys[0].startswith(GUEST_PREFIX):
        return guest_plans(deps, keys)
    return customer_plans(deps, keys)


def export_batch(deps: ExportDeps, batch: RunBatch, planner: Planner = plans_for) -> BatchResult:
    """Export the entities of a leased batch, committing each entity's result as it goes.

    Budget waits give the batch back (its remaining keys) without spending an attempt;
    parked entities come back in the same batch after ``park_delay``.
    """
    keys = [str(k) for k in batch.entity_keys]
    result = BatchResult("done")
    before = _calls(deps)
    try:
        plans = planner(deps, keys)
    except RateLimitedError as exc:
        runs.release_batch(batch.id, deps.owner, dt.timedelta(seconds=exc.retry_after))
        return BatchResult("waiting", retry_after=exc.retry_after)
    except TransientError as exc:
        runs.release_batch(batch.id, deps.owner, deps.park_delay, count_attempt=True)
        log.warning("batch %s: reading Magento failed (%s); it is tried again", batch.id, exc)
        return BatchResult("parked")
    after = _calls(deps)
    runs.add_api_calls(
        deps.run_id, reads=after.read - before.read, writes=after.write - before.write
    )
    parked: list[tuple[str, str]] = []
    for position, key in enumerate(keys):
        start = _calls(deps)
        planned = plans[key]
        try:
            outcome = planned if isinstance(planned, Outcome) else export_entity(deps, planned)
        except RateLimitedError as exc:
            rest = [k for k, _ in parked] + keys[position:]
            runs.release_batch(
                batch.id, deps.owner, dt.timedelta(seconds=exc.retry_after), keys=rest
            )
            result.status, result.retry_after = "waiting", exc.retry_after
            return result
        except (AuthError, ConfigError):
            raise
        except ConflictError as exc:
            outcome = Outcome("conflict", message=str(exc))
        except TransientError as exc:
            outcome = Outcome("parked", message=str(exc), parked=True)
        except DataError as exc:
            outcome = Outcome("failed", message=_describe(exc))
        end = _calls(deps)
        reads, writes = end.read - start.read, end.write - start.write
        if outcome.parked:
            parked.append((key, outcome.message))
            runs.add_api_calls(deps.run_id, reads=reads, writes=writes)
            continue
        _record(deps, key, outcome, reads, writes)
        result.counts[outcome.action] = result.counts.get(outcome.action, 0) + 1
    if parked and batch.attempts < deps.max_batch_attempts:
        runs.release_batch(
            batch.id, deps.owner, deps.park_delay, keys=[k for k, _ in parked], count_attempt=True
        )
        result.status = "parked"
        return result
    for key, message in parked:
        _record(
            deps,
            key,
            Outcome("failed", message=f"gave up after {batch.attempts} attempts: {message}"),
            0,
            0,
        )
    runs.settle_batch(batch.id, deps.owner, "done")
    return result


def _record(deps: ExportDeps, key: str, outcome: Outcome, reads: int, writes: int) -> None:
    """Count the outcome on the run; keep a run item unless the profile keeps no history."""
    action: runs.Action = ACTIONS.get(outcome.action, "failed")
    item = None
    if deps.history:
        failed = action in ("failed", "conflict")
        item = {
            "entity_type": "guest" if key.startswith("g:") else "customer",
            "entity_key": key.removeprefix("g:"),
            "contact_id": outcome.contact_id,
            "message": outcome.message[:2000],
            "error_class": action if failed else "",
        }
    runs.record_result(deps.run_id, action, reads=reads, writes=writes, item=item)


ACTIONS: dict[str, runs.Action] = {
    a: a for a in ("created", "updated", "unchanged", "skipped", "failed", "conflict")
}
