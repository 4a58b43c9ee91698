"""Versioned schema migrations that upgrade any earlier plentysync database in place.

Policy: an empty database is created at the newest version (and announced loudly by the
caller, since a new database holds no links and cannot prevent duplicates). A database at an
older version is refused until ``plentysync db upgrade`` runs, so an upgrade is a decision the
operator takes after a backup, never a side effect of a worker starting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from core.db.changes import one_result_per_entity
from core.db.connection import database
from core.db.models import SchemaVersion, utcnow
from core.db.snapshot import load_snapshot, tables_from_snapshot
from core.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[pw.Database], None]


def _create_from_snapshot(name: str) -> Callable[[pw.Database], None]:
    def apply(db: pw.Database) -> None:
        models = tables_from_snapshot(load_snapshot(name), db, known=_existing_models(db))
        db.create_tables(models, safe=False)

    return apply


def _existing_models(db: pw.Database) -> dict[str, type[pw.Model]]:
    # Foreign keys of a later snapshot may point at tables an earlier one created; a bare
    # model with the table name is enough for peewee to write the REFERENCES clause.
    return {
        table: type(
            f"Existing_{table}",
            (pw.Model,),
            {"Meta": type("Meta", (), {"database": db, "table_name": table})},
        )
        for table in db.get_tables()
    }


def _add_run_owner(db: pw.Database) -> None:
    # Nullable columns: a plain ADD COLUMN on SQLite and PostgreSQL, no table rebuild.
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("run", "owner_host", pw.CharField(max_length=255, null=True)),
        migrator.add_column("run", "owner_pid", pw.IntegerField(null=True)),
        migrator.add_column("run", "heartbeat_at", pw.DateTimeField(null=True)),
    )


def _add_result_seconds(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("run_item", "seconds", pw.FloatField(null=True)))


def _add_run_guard(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("run", "pause_reason", pw.TextField(null=True)),
        migrator.add_column("run", "guard", pw.TextField(null=True)),
    )


def _add_pending_relations(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column(
            "address_link", "relation_state", pw.CharField(max_length=10, null=True)
        ),
        migrator.add_column(
            "address_link", "relation_owner", pw.CharField(max_length=100, null=True)
        ),
        migrator.add_column("address_link", "relation_at", pw.DateTimeField(null=True)),
        migrator.add_index("address_link", ("relation_state",), False),
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _create_from_snapshot("0001")),
    Migration(2, "shared state for tokens and budgets", _create_from_snapshot("0002")),
    Migration(3, "contact index for large runs", _create_from_snapshot("0003")),
    Migration(4, "one result per run and entity", one_result_per_entity),
    Migration(5, "the process working an inline run", _add_run_owner),
    Migration(6, "how long each result took", _add_result_seconds),
    Migration(7, "why a guardrail paused a run", _add_run_guard),
    Migration(
        8, "address relations waiting for the batch's relation array", _add_pending_relations
    ),
)

HEAD = MIGRATIONS[-1].version


def current_version() -> int:
    """The schema version of the open database; 0 when it is empty."""
    return max(applied_versions(), default=0)


def applied_versions() -> set[int]:
    """Every migration recorded in the open database."""
    if not database.table_exists(SchemaVersion._meta.table_name):
        return set()
    return {int(row.version) for row in SchemaVersion.select(SchemaVersion.version)}


def missing_versions(target: int = HEAD) -> list[int]:
    """Migrations up to ``target`` this database lacks, also below its newest one.

    A database that some build of plentysync upgraded past a migration it did not know yet
    still gets that migration on the next upgrade.
    """
    applied = applied_versions()
    return [m.version for m in MIGRATIONS if m.version <= target and m.version not in applied]


def is_empty() -> bool:
    return not database.get_tables()


def upgrade(target: int = HEAD) -> list[Migration]:
    """Apply every migration up to ``target`` that is not applied yet; return those applied."""
    if current_version() == 0 and not is_empty():
        raise ConfigError("this database holds tables that are not plentysync's; use another one")
    wanted = set(missing_versions(target))
    applied = []
    for migration in MIGRATIONS:
        if migration.version in wanted:
            with database.atomic():
                migration.apply(database.obj)
                SchemaVersion.create(
                    version=migration.version, name=migration.name, applied_at=utcnow()
                )
            applied.append(migration)
    return applied


def check_current() -> None:
    """Refuse to work on a database whose schema is not the one this code expects."""
    version = current_version()
    if version > HEAD:
        raise ConfigError(
            f"the database schema is at version {version}, newer than this plentysync "
            f"knows ({HEAD}): upgrade plentysync"
        )
    lacking = missing_versions()
    if version < HEAD:
        raise ConfigError(
            f"the database schema is at version {version}, this plentysync needs {HEAD}: "
            "back up the database, then run 'plentysync db upgrade'"
        )
    if lacking:
        raise ConfigError(
            f"the database schema lacks migration {', '.join(map(str, lacking))}: "
            "back up the database, then run 'plentysync db upgrade'"
        )
