"""The database's own failures become plentysync's errors: locked, full, connection lost."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import peewee
import pytest

from core.db.connection import database, open_database, write_transaction
from core.db.models import SharedState
from core.errors import DiskFullError, InfrastructureError, Waiting


@pytest.fixture
def sqlite_file(sqlite_db: str) -> Iterator[Path]:
    """The application database on SQLite, with a short busy timeout for this connection."""
    database.execute_sql("PRAGMA busy_timeout = 200")
    yield Path(sqlite_db)


def _hold_write_lock(path: Path, release: threading.Event, held: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    held.set()
    release.wait(10)
    other.execute("ROLLBACK")
    other.close()


def test_a_lock_held_past_the_busy_timeout_is_transient(sqlite_file: Path) -> None:
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(sqlite_file, release, held))
    holder.start()
    held.wait(5)
    try:
        with pytest.raises(InfrastructureError) as caught, write_transaction():
            SharedState.create(key="k", value="v")
    finally:
        release.set()
        holder.join()
    assert isinstance(caught.value, Waiting) and caught.value.service == "database"
    assert "locked" in str(caught.value)
    with write_transaction():  # the lock is gone: the same write goes through
        SharedState.create(key="k", value="v")
    assert SharedState.get(SharedState.key == "k").value == "v"


def test_a_full_database_says_so_instead_of_failing_its_rollback(sqlite_file: Path) -> None:
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFullError) as caught, write_transaction():
        for number in range(200):
            SharedState.create(key=f"k{number}", value="x" * 2000)
    assert caught.value.path == str(sqlite_file)
    assert str(caught.value.for_run(7)) == (
        f"disk full at {sqlite_file}: free space, then plentysync run resume 7"
    )
    assert SharedState.select().count() == 0  # nothing half-written
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    with write_transaction():
        SharedState.create(key="after", value="space freed")
    assert SharedState.select().count() == 1


def test_a_statement_error_stays_the_drivers_own(sqlite_file: Path) -> None:
    with pytest.raises(peewee.OperationalError):
        database.execute_sql("SELECT * FROM no_such_table")
    with pytest.raises(peewee.IntegrityError), write_transaction():
        SharedState.create(key="twice", value="1")
        SharedState.create(key="twice", value="2")


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[str]:
    """The application database on a PostgreSQL schema of its own, with a probe table."""
    schema = postgres_url.rsplit("%3D", 1)[1]
    open_database(postgres_url)
    database.connect()
    database.execute_sql(f"CREATE TABLE {schema}.probe (id integer)")
    yield schema
    database.close()


def test_a_killed_postgres_connection_is_replaced_on_the_next_statement(
    postgres: str, kill_connection: Callable[[], int]
) -> None:
    schema = postgres
    assert database.execute_sql(f"SELECT count(*) FROM {schema}.probe").fetchone() == (0,)
    pid = kill_connection()
    for _ in range(2):  # not just once: the old, dead connection is gone for good
        assert database.execute_sql(f"SELECT count(*) FROM {schema}.probe").fetchone() == (0,)
    assert database.execute_sql("SELECT pg_backend_pid()").fetchone()[0] != pid


def test_a_transaction_cut_off_is_transient_and_the_next_one_works(
    postgres: str, kill_connection: Callable[[], int]
) -> None:
    schema = postgres
    with pytest.raises(InfrastructureError) as caught, write_transaction():
        database.execute_sql(f"INSERT INTO {schema}.probe VALUES (1)")
        kill_connection()
        database.execute_sql(f"INSERT INTO {schema}.probe VALUES (2)")
    assert caught.value.service == "database" and "PostgreSQL" in str(caught.value)
    with write_transaction():
        database.execute_sql(f"INSERT INTO {schema}.probe VALUES (3)")
    assert database.execute_sql(f"SELECT id FROM {schema}.probe").fetchall() == [(3,)]


def test_a_postgres_server_that_cannot_be_reached_is_transient(plentysync_home: Path) -> None:
    open_database("postgresql://postgres@127.0.0.1:1/test")
    with pytest.raises(InfrastructureError):
        database.connect()
