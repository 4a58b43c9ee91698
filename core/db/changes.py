"""Schema changes made in place on existing tables, through peewee's ``playhouse.migrate``.

The first migrations create whole tables from frozen snapshots (``core.db.snapshot``); later
ones change tables that hold data: add a column, drop rows that a new unique index would
refuse, add the index. Each change names its columns and types here, as they were when it
was written, so it never depends on today's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

# How much a recorded result says, highest first: which of a run's duplicate results stays.
RESULT_RANK = ("created", "updated", "conflict", "failed", "unchanged", "skipped")
RESULT_COUNTERS = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged",
    "skipped": "skipped",
    "failed": "failed",
    "conflict": "conflicts",
}


def one_result_per_entity(db: pw.Database) -> None:
    """Version 4: a run keeps one result per entity, and says whether that result is final.

    Older runs that worked a batch twice hold several results for one entity: the most
    telling one stays (a create before anything else), and the counts of those runs are
    taken again from what remains.
    """
    runs = _dedupe_results(db)
    _recount(db, runs)
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("run_item", "final", pw.BooleanField(default=True)),
        migrator.add_index("run_item", ("run_id", "entity_type", "entity_key"), True),
    )


def _dedupe_results(db: pw.Database) -> list[int]:
    """Delete all but the most telling result of each (run, entity); return the runs touched."""
    groups = db.execute_sql(
        "SELECT run_id, entity_type, entity_key FROM run_item "
        "GROUP BY run_id, entity_type, entity_key HAVING COUNT(*) > 1"
    ).fetchall()
    for run_id, entity_type, entity_key in groups:
        rows = _query(
            db,
            "SELECT id, action FROM run_item "
            "WHERE run_id = ? AND entity_type = ? AND entity_key = ?",
            (run_id, entity_type, entity_key),
        )
        keep = min(rows, key=lambda row: (_rank(row[1]), -row[0]))[0]
        for row_id, _ in rows:
            if row_id != keep:
                _query(db, "DELETE FROM run_item WHERE id = ?", (row_id,), fetch=False)
    return sorted({int(run_id) for run_id, _, _ in groups})


def _recount(db: pw.Database, run_ids: Sequence[int]) -> None:
    columns = sorted(set(RESULT_COUNTERS.values()))
    for run_id in run_ids:
        counts = dict.fromkeys(columns, 0)
        found = _query(
            db, "SELECT action, COUNT(*) FROM run_item WHERE run_id = ? GROUP BY action", (run_id,)
        )
        for action, count in found:
            counts[RESULT_COUNTERS.get(action, "failed")] += int(count)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        _query(
            db,
            f"UPDATE run SET {assignments} WHERE id = ?",
            (*(counts[name] for name in columns), run_id),
            fetch=False,
        )


def _query(
    db: pw.Database, sql: str, params: tuple[object, ...], *, fetch: bool = True
) -> list[tuple[Any, ...]]:
    """Run ``sql`` with ``?`` placeholders written the way this database expects them."""
    cursor = db.execute_sql(sql.replace("?", db.param), params)
    return list(cursor.fetchall()) if fetch else []


def _rank(action: str) -> int:
    return RESULT_RANK.index(action) if action in RESULT_RANK else len(RESULT_RANK)
