"""Migrations create the newest schema and upgrade every earlier one in place."""

from __future__ import annotations

import peewee
import pytest

from core.db import init_database
from core.db.connection import database, open_database
from core.db.migrations import HEAD, MIGRATIONS, check_current, current_version, upgrade
from core.db.models import MODELS, Client, MagentoSource, Profile, Run, RunItem, SchemaVersion
from core.errors import ConfigError
from core.settings import Settings


def _schema(db: peewee.Database) -> dict[str, object]:
    tables = {}
    for table in sorted(db.get_tables()):
        columns = sorted((c.name, c.null) for c in db.get_columns(table))
        indexes = sorted(
            (tuple(ix.columns), bool(ix.unique))
            for ix in db.get_indexes(table)
            if not ix.name.endswith("_pkey") and not ix.name.startswith("sqlite_autoindex")
        )
        foreign = sorted((fk.column, fk.dest_table) for fk in db.get_foreign_keys(table))
        tables[table] = (columns, indexes, foreign)
    return tables


def _reset(db: peewee.Database) -> None:
    for table in db.get_tables():
        db.execute_sql(
            f'DROP TABLE IF EXISTS "{table}" CASCADE'
            if not isinstance(db, peewee.SqliteDatabase)
            else f'DROP TABLE IF EXISTS "{table}"'
        )


def test_migrations_build_exactly_the_models_schema(any_db_url: str) -> None:
    db = open_database(any_db_url)
    db.connect()
    db.create_tables([*MODELS, SchemaVersion])
    expected = _schema(db)
    db.execute_sql("PRAGMA foreign_keys = OFF") if isinstance(db, peewee.SqliteDatabase) else None
    _reset(db)
    db.execute_sql("PRAGMA foreign_keys = ON") if isinstance(db, peewee.SqliteDatabase) else None
    assert current_version() == 0
    applied = upgrade()
    assert [m.version for m in applied] == [m.version for m in MIGRATIONS]
    assert current_version() == HEAD
    assert _schema(db) == expected
    db.close()


@pytest.mark.parametrize("start", [m.version for m in MIGRATIONS[:-1]])
def test_every_earlier_version_upgrades_in_place_keeping_data(any_db_url: str, start: int) -> None:
    db = open_database(any_db_url)
    db.connect()
    upgrade(target=start)
    assert current_version() == start
    Client.insert(
        name="kept", base_url="http://x", username="u", password="", settings="{}"
    ).execute()
    with pytest.raises(ConfigError, match="db upgrade"):
        check_current()
    applied = upgrade()
    assert [m.version for m in applied] == [m.version for m in MIGRATIONS if m.version > start]
    assert Client.get(Client.name == "kept").username == "u"
    check_current()
    db.close()


def test_the_app_refuses_an_old_schema_until_upgraded(
    any_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_DATABASE_URL", any_db_url)
    db = open_database(any_db_url)
    db.connect()
    upgrade(target=1)
    with pytest.raises(ConfigError, match="version 1"):
        init_database(Settings())
    status = init_database(Settings(), upgrade=True)
    assert status.version == HEAD and not status.created
    database.close()


def test_a_new_database_is_announced(plentysync_home, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    status = init_database(Settings())
    assert status.created
    assert "NEW, EMPTY database" in caplog.text
    database.close()
    again = init_database(Settings())
    assert not again.created
    database.close()


def test_a_foreign_database_is_not_touched(plentysync_home) -> None:  # type: ignore[no-untyped-def]
    db = open_database(f"sqlite:///{plentysync_home / 'other.db'}")
    db.connect()
    db.execute_sql("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(ConfigError, match="not plentysync"):
        upgrade()
    db.close()


def test_duplicate_results_of_an_old_database_become_one_per_entity(any_db_url: str) -> None:
    """A version 3 database whose re-leased batches recorded customers twice."""
    db = open_database(any_db_url)
    db.connect()
    upgrade(target=3)
    client = Client.insert(name="c", base_url="http://x", username="u", settings="{}").execute()
    source = MagentoSource.insert(
        name="s", namespace="s", base_url="http://m", auth_mode="bearer", settings="{}"
    ).execute()
    profile = Profile.insert(name="p", client=client, source=source, settings="{}").execute()
    run = Run.insert(
        profile=profile, trigger="manual", options="{}", status="done", total=3, created=2,
        updated=1, unchanged=2, failed=2,
    ).execute()  # fmt: skip
    recorded = [
        ("1", "created"), ("1", "unchanged"),  # created, then worked again
        ("2", "failed"), ("2", "failed"), ("2", "updated"),
        ("3", "created"), ("3", "unchanged"), ("3", "created"),
    ]  # fmt: skip
    for key, action in recorded:
        db.execute_sql(
            "INSERT INTO run_item (run_id, entity_type, entity_key, action, error_class, "
            f"message, created_at) VALUES ({', '.join([db.param] * 7)})",
            (run, "customer", key, action, "", "", "2026-01-01 00:00:00"),
        )
    upgrade()
    kept = {i.entity_key: (i.action, i.final) for i in RunItem.select().where(RunItem.run == run)}
    assert kept == {"1": ("created", True), "2": ("updated", True), "3": ("created", True)}
    counts = Run.get_by_id(run)
    assert (counts.created, counts.updated, counts.unchanged, counts.failed) == (2, 1, 0, 0)
    with pytest.raises(peewee.IntegrityError), database.atomic():
        RunItem.create(run=run, entity_type="customer", entity_key="1", action="failed")
    db.close()


def test_a_migration_numbered_below_the_newest_applied_one_is_still_applied(
    any_db_url: str,
) -> None:
    """A database upgraded by a build that lacked one migration gets it on the next upgrade."""
    db = open_database(any_db_url)
    db.connect()
    upgrade()
    db.execute_sql('DROP TABLE "contact_index_entry"')  # as if version 3 had never run
    SchemaVersion.delete().where(SchemaVersion.version == 3).execute()
    assert current_version() == HEAD
    with pytest.raises(ConfigError, match="lacks migration 3"):
        check_current()
    assert [m.version for m in upgrade()] == [3]
    check_current()
    db.close()
