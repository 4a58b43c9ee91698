"""Fixtures shared by every test: an isolated data directory and a real database."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import peewee
import pytest

from core.db import init_database
from core.db.connection import database
from core.settings import Settings, reset_settings

POSTGRES_URL = os.environ.get(
    "PLENTYSYNC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def plentysync_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data directory and no inherited plentysync settings."""
    for key in list(os.environ):
        if key.startswith("PLENTYSYNC_") and not key.startswith("PLENTYSYNC_TEST_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("PLENTYSYNC_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    reset_settings()
    yield home
    reset_settings()


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Handlers a test's in-process command added to the root logger go with the test.

    A command configures logging for its process: a log file in that test's data directory
    and a masking filter on every handler. Left behind, they would write into another test's
    records (the filter rewrites a record for every handler after it).
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {handler: list(handler.filters) for handler in handlers}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler, kept in filters.items():
        handler.filters[:] = kept
    root.setLevel(level)


def _postgres_schema_url(schema: str) -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def _admin_postgres() -> peewee.PostgresqlDatabase:
    from playhouse.db_url import connect

    try:
        db = connect(POSTGRES_URL)
        db.connect()
    except peewee.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    return db  # type: ignore[no-any-return]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to an empty PostgreSQL schema of its own, dropped after the test."""
    schema = f"ps_{uuid.uuid4().hex[:12]}"
    admin = _admin_postgres()
    admin.execute_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _postgres_schema_url(schema)
    finally:
        if not database.is_closed() and database.obj is not admin:
            database.close()
        admin.execute_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture
def kill_connection(postgres_url: str) -> Iterator[Callable[[], int]]:
    """Ends this thread's PostgreSQL connection from the server side, as a restart would."""
    admin = _admin_postgres()

    def kill() -> int:
        pid = int(database.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
        admin.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
        return pid

    yield kill
    admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request: pytest.FixtureRequest, plentysync_home: Path) -> str:
    """A URL of an empty database: SQLite in the test's home, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{plentysync_home / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def db(any_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The application database, created at the newest schema, on SQLite and on PostgreSQL."""
    monkeypatch.setenv("PLENTYSYNC_DATABASE_URL", any_db_url)
    reset_settings()
    init_database(Settings(), announce=False)
    yield any_db_url
    database.close()


@pytest.fixture
def sqlite_db(plentysync_home: Path) -> Iterator[str]:
    """The application database on SQLite only, for tests about behaviour, not storage."""
    init_database(Settings(), announce=False)
    yield str(plentysync_home / "plentysync.db")
    database.close()
