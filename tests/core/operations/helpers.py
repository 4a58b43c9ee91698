"""Runs, batches and queue items written straight into the database, as workers leave them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.db.connection import write_transaction
from core.db.models import Profile, QueueItem, Run, RunBatch, RunItem, utcnow


def add_run(
    profile: Profile, status: str = "done", age: dt.timedelta | None = None, **fields: Any
) -> Run:
    moment = utcnow() - (age or dt.timedelta(0))
    values: dict[str, Any] = {
        "profile": profile,
        "trigger": "manual",
        "status": status,
        "created_at": moment,
        "started_at": moment,
        "last_progress_at": moment,
        "enumerated": True,
    }
    if status not in ("pending", "running", "stale"):
        values["finished_at"] = moment + dt.timedelta(seconds=30)
    values.update(fields)
    with write_transaction():
        return Run.create(**values)


def add_items(run: Run, *actions: str) -> None:
    with write_transaction():
        for number, action in enumerate(actions, start=1):
            RunItem.create(
                run=run,
                entity_type="customer",
                entity_key=str(number),
                action=action,
                error_class="DataError" if action == "failed" else "",
                message="no country" if action == "failed" else "",
            )


def add_batch(run: Run, sequence: int, status: str = "pending") -> None:
    with write_transaction():
        RunBatch.create(run=run, sequence=sequence, entity_keys=["1"], status=status)


def add_pending(profile: Profile, key: str, waited: dt.timedelta) -> None:
    with write_transaction():
        QueueItem.create(
            profile=profile,
            entity_type="customer",
            entity_key=key,
            status="pending",
            next_attempt_at=utcnow() - waited,
        )
