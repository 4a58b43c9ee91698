"""The database connection: one ``DatabaseProxy`` bound at start-up to SQLite or PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import peewee
from playhouse.db_url import parse as parse_url

from core.db.engines import PostgresqlDatabase, SqliteDatabase
from core.errors import ConfigError

log = logging.getLogger(__name__)

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 30_000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


def open_database(url: str) -> peewee.Database:
    """Open the database at ``url`` and bind the models' proxy to it.

    SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` for every
    transaction, so two writers queue up instead of failing half-way. Both raise
    plentysync's errors for outages and a full disk (``core.db.engines``).
    """
    scheme = urlparse(url).scheme
    db: peewee.Database
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ConfigError(f"unsupported SQLite URL {url!r}: use sqlite:////absolute/path.db")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
        )
    elif scheme in ("postgres", "postgresql"):
        try:
            params = parse_url(url)
            if not params.get("database"):
                raise ValueError(f"{url!r} names no database")
            db = PostgresqlDatabase(**params)
        except Exception as exc:
            raise ConfigError(f"cannot use database URL for PostgreSQL: {exc}") from exc
    else:
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use sqlite:///... or postgresql://..."
        )
    database.initialize(db)
    return db


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def write_transaction() -> Iterator[None]:
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite). Never call the network inside one."""
    with database.atomic():
        yield
