"""The database connection: one ``DatabaseProxy`` bound at start-up to SQLite or PostgreSQL."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import peewee
from playhouse.db_url import parse as parse_url

from core.db.engines import PostgresqlDatabase, SqliteDatabase
from core.errors import ConfigError
from core.files import create_private_file, private_dir, tighten

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

    Opening the database the proxy already serves (same URL, same file) keeps it: threads of
    this process (an embedded worker under the TUI, say) may be inside a transaction on it,
    and rebinding the proxy would send their next statement to a second connection that
    waits on their own lock.
    """
    current = database.obj
    if current is not None and getattr(current, "plentysync_opened", None) == _identity(url):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            _private_sqlite_files(Path(url[len("sqlite:///") :]))  # loosened since: tightened
        return current
    scheme = urlparse(url).scheme
    db: peewee.Database
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ConfigError(f"unsupported SQLite URL {url!r}: use sqlite:////absolute/path.db")
        if path != ":memory:":
            _private_sqlite_files(Path(path))
        db = SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
        )
    elif scheme in ("postgres", "postgresql"):
        try:
            params = parse_url(url)
            if not params.get("database"):
                raise ValueError(f"{url!r} names no database")
            # psycopg 3 on the system's libpq; see docs/design-notes.md, "PostgreSQL driver".
            db = PostgresqlDatabase(**params, prefer_psycopg3=True)
        except Exception as exc:
            raise ConfigError(f"cannot use database URL for PostgreSQL: {exc}") from exc
    else:
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use sqlite:///... or postgresql://..."
        )
    db.plentysync_opened = _identity(url)  # type: ignore[union-attr]
    database.initialize(db)
    return db


def _identity(url: str) -> tuple[str, int | None]:
    """The URL and, for a SQLite file, its inode: a file replaced since is a new database."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        try:
            return url, os.stat(url[len("sqlite:///") :]).st_ino
        except OSError:
            return url, None
    return url, None


def _private_sqlite_files(path: Path) -> None:
    """The database file exists 0600 before SQLite opens it; its journals take its mode."""
    private_dir(path.parent, ours=False)
    if path.exists():
        for companion in ("", "-wal", "-shm", "-journal"):
            tighten(path.with_name(path.name + companion))
    else:
        # An empty file is an empty SQLite database; SQLite would create it 0644.
        os.close(create_private_file(path))


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def write_transaction() -> Iterator[None]:
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite). Never call the network inside one."""
    with database.atomic():
        yield
