"""One result per run and entity, and the run's counts kept in step with those results.

An entity's result is a ``RunItem`` row, unique per (run, entity). A write to PlentyONE
commits a provisional result (``final`` false) in the same transaction as the link it
changed, so a crash after the write cannot lose the fact that the entity was created or
updated. The final result comes when the entity is done and merges with the provisional
one: a contact created by an earlier attempt stays ``created``. A final result is never
replaced, so a batch worked twice counts each entity once; the run's counters change in the
same transaction as the row, so they always agree with the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import peewee as pw

from core.db.connection import is_sqlite, write_transaction
from core.db.models import Run, RunItem, utcnow
from core.states import Action

Written = Literal["created", "updated"]
EntityRef = tuple[str, str]  # (entity_type, entity_key) as run items store them


def _counter(action: str) -> pw.Field:
    field: pw.Field = Run.conflicts if action == "conflict" else getattr(Run, action)
    return field


def merged_action(previous: str, new: str) -> str:
    """What an entity's result says once a later outcome meets its provisional one.

    A contact created in this run stays created, whatever a later attempt found; an update
    made by an earlier attempt is not hidden by an attempt that found nothing left to send.
    """
    if "created" in (previous, new):
        return "created"
    if previous == "updated" and new in ("unchanged", "skipped"):
        return "updated"
    return new


def record_result(
    run_id: int,
    entity: EntityRef,
    action: Action,
    *,
    reads: int = 0,
    writes: int = 0,
    contact_id: int | None = None,
    message: str = "",
    final: bool = True,
    seconds: float | None = None,
) -> str:
    """Store the entity's result (once) and count it on the run; returns the action kept.

    ``seconds`` is how long the entity took, kept with its final result.
    """
    with write_transaction():
        row = _locked(run_id, entity)
        if row is None and _insert(run_id, entity, action, contact_id, message, final, seconds):
            _count(run_id, None, action, reads, writes)
            return action
        if row is None:
            # Only PostgreSQL gets here: another worker inserted the row a moment ago.
            row = _locked(run_id, entity)
            assert row is not None
        if row.final:
            _count(run_id, None, None, reads, writes)
            return str(row.action)
        kept = merged_action(row.action, action)
        RunItem.update(
            action=kept,
            contact_id=contact_id if contact_id is not None else row.contact_id,
            message=message[:2000] if final else row.message,
            error_class=_error_class(kept),
            final=final,
            seconds=seconds if final else row.seconds,
        ).where(RunItem.id == row.id).execute()
        _count(run_id, row.action, kept, reads, writes)
    return kept


@dataclass(frozen=True)
class QuietResult:
    """The final result of an entity that wrote nothing (unchanged, skipped, failed...)."""

    entity: EntityRef
    action: Action
    reads: int = 0
    contact_id: int | None = None
    message: str = ""
    seconds: float | None = None


def record_quiet_results(run_id: int, quiet: Sequence[QuietResult]) -> list[str]:
    """Store the final results of entities without a write, all in one transaction.

    The same rules as ``record_result`` for each entity, in a few statements for the whole
    list: the rows already there are read with one query, the new ones inserted together,
    and the run's counters changed by one update. An entity with a provisional result (a
    write of an earlier attempt) goes through ``record_result``. Returns the actions kept,
    in the order of ``quiet``.
    """
    if not quiet:
        return []
    kept: dict[EntityRef, str] = {}
    with write_transaction():
        rows = _rows_of(run_id, [q.entity for q in quiet])
        fresh = [q for q in quiet if q.entity not in rows]
        inserted = _insert_many(run_id, fresh)
        deltas: dict[str, int] = {}
        reads = 0
        for item in quiet:
            row = rows.get(item.entity)
            if row is None and item.entity in inserted:
                kept[item.entity] = item.action
                deltas[item.action] = deltas.get(item.action, 0) + 1
                reads += item.reads
            elif row is not None and row.final:
                kept[item.entity] = str(row.action)
                reads += item.reads
            else:
                # A provisional result to merge, or (PostgreSQL) a row another worker just
                # inserted: the one-entity path locks and merges it.
                kept[item.entity] = record_result(
                    run_id,
                    item.entity,
                    item.action,
                    reads=item.reads,
                    contact_id=item.contact_id,
                    message=item.message,
                    seconds=item.seconds,
                )
        _count_many(run_id, deltas, reads)
    return [kept[q.entity] for q in quiet]


def _rows_of(run_id: int, entities: list[EntityRef]) -> dict[EntityRef, RunItem]:
    rows: dict[EntityRef, RunItem] = {}
    wanted = set(entities)
    for start in range(0, len(entities), 500):
        part = entities[start : start + 500]
        query = RunItem.select().where(
            (RunItem.run == run_id) & RunItem.entity_key.in_([key for _, key in part])
        )
        if not is_sqlite():
            query = query.for_update()
        for row in query:
            entity = (row.entity_type, row.entity_key)
            if entity in wanted:
                rows[entity] = row
    return rows


def _insert_many(run_id: int, fresh: list[QuietResult]) -> set[EntityRef]:
    """Insert the first results of ``fresh``; returns the entities whose row is ours."""
    if not fresh:
        return set()
    now = utcnow()
    rows = [
        {
            "run": run_id,
            "entity_type": q.entity[0],
            "entity_key": q.entity[1],
            "action": q.action,
            "contact_id": q.contact_id,
            "message": q.message[:2000],
            "error_class": _error_class(q.action),
            "final": True,
            "seconds": q.seconds,
            "created_at": now,
        }
        for q in fresh
    ]
    if is_sqlite():
        # The write lock is ours (BEGIN IMMEDIATE): nobody can have inserted since the read.
        for start in range(0, len(rows), 100):
            RunItem.insert_many(rows[start : start + 100]).execute()
        return {q.entity for q in fresh}
    inserted: set[EntityRef] = set()
    for start in range(0, len(rows), 100):
        query = (
            RunItem.insert_many(rows[start : start + 100])
            .on_conflict_ignore()
            .returning(RunItem.entity_type, RunItem.entity_key)
        )
        inserted.update((r.entity_type, r.entity_key) for r in query.execute())
    return inserted


def _count_many(run_id: int, deltas: dict[str, int], reads: int) -> None:
    changes: dict[pw.Field, object] = {
        Run.api_reads: Run.api_reads + reads,
        Run.last_progress_at: utcnow(),
    }
    for action, count in deltas.items():
        counter = _counter(action)
        changes[counter] = counter + count
    Run.update(changes).where(Run.id == run_id).execute()


def _insert(
    run_id: int,
    entity: EntityRef,
    action: str,
    contact_id: int | None,
    message: str,
    final: bool,
    seconds: float | None,
) -> bool:
    """Insert the first result of the entity; False when a row appeared meanwhile."""
    query = RunItem.insert(
        run=run_id,
        entity_type=entity[0],
        entity_key=entity[1],
        action=action,
        contact_id=contact_id,
        message=message[:2000],
        error_class=_error_class(action),
        final=final,
        seconds=seconds,
    )
    if is_sqlite():
        # The write lock is ours (BEGIN IMMEDIATE): nobody can have inserted since the read.
        query.execute()
        return True
    return query.on_conflict_ignore().execute() is not None


def note_write(run_id: int, entity: EntityRef, action: Written) -> None:
    """Inside the transaction that stores a link after a write: the provisional result.

    Tools that write outside a run (``run_id`` 0) keep no result.
    """
    if run_id:
        record_result(run_id, entity, action, final=False)


def final_entities(run_id: int, entities: Iterable[EntityRef]) -> set[EntityRef]:
    """Which of ``entities`` already have their final result in this run."""
    wanted = list(entities)
    found: set[EntityRef] = set()
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        rows = RunItem.select(RunItem.entity_type, RunItem.entity_key).where(
            (RunItem.run == run_id)
            & RunItem.final
            & RunItem.entity_key.in_([key for _, key in part])
        )
        found.update((r.entity_type, r.entity_key) for r in rows)
    return found & set(wanted)


def drop_results(run_id: int) -> None:
    """Remove a finished run's results (its profile keeps no history); the counts stay."""
    with write_transaction():
        RunItem.delete().where(RunItem.run == run_id).execute()


def _locked(run_id: int, entity: EntityRef) -> RunItem | None:
    query = RunItem.select().where(
        (RunItem.run == run_id)
        & (RunItem.entity_type == entity[0])
        & (RunItem.entity_key == entity[1])
    )
    if not is_sqlite():
        query = query.for_update()
    row: RunItem | None = query.first()
    return row


def _count(run_id: int, previous: str | None, action: str | None, reads: int, writes: int) -> None:
    changes: dict[pw.Field, object] = {
        Run.api_reads: Run.api_reads + reads,
        Run.api_writes: Run.api_writes + writes,
        Run.last_progress_at: utcnow(),
    }
    if action is not None and previous != action:
        new = _counter(action)
        changes[new] = new + 1
        if previous is not None:
            old = _counter(previous)
            changes[old] = old - 1
    Run.update(changes).where(Run.id == run_id).execute()


def _error_class(action: str) -> str:
    return action if action in ("failed", "conflict") else ""
