"""The database: connection, tables and migrations."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import peewee

from core.db import migrations
from core.db.connection import database, is_sqlite, open_database, write_transaction
from core.errors import ConfigError
from core.files import tighten
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)

NEW_DATABASE_WARNING = (
    "plentysync created a NEW, EMPTY database at {url}. It holds no links to PlentyONE "
    "contacts yet: if this system exported before with another database, restore that "
    "database (and its secret key) now, or the next export may create duplicate contacts."
)

__all__ = [
    "DatabaseStatus",
    "connect_database",
    "database",
    "init_database",
    "is_sqlite",
    "open_database",
    "redact_url",
    "write_transaction",
]


@dataclass(frozen=True)
class DatabaseStatus:
    url: str
    created: bool
    version: int


def init_database(
    settings: Settings | None = None, *, upgrade: bool = False, announce: bool = True
) -> DatabaseStatus:
    """Open the configured database, creating it when empty and checking its schema version.

    A new database is logged as a warning, because the links it lacks are what prevents
    duplicate contacts (``announce=False`` when the caller says it itself). An older schema is
    upgraded only when ``upgrade`` is true.
    """
    url = (settings or get_settings()).resolved_database_url
    try:
        connect_database(settings)
        created = migrations.is_empty()
    except (FileExistsError, NotADirectoryError) as exc:
        raise ConfigError(
            f"cannot open the database {redact_url(url)}: {_file_in_the_way(exc.filename)} is "
            "a file, not a directory; check PLENTYSYNC_HOME or the database URL"
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"cannot open the database {redact_url(url)}: {exc.strerror or exc} "
            f"({exc.filename or 'its directory'}); check PLENTYSYNC_HOME or the database URL"
        ) from exc
    except peewee.DatabaseError as exc:
        # Reaching the server is worth another try; a file that is no database is not.
        if isinstance(exc, peewee.OperationalError) and not is_sqlite():
            raise
        raise ConfigError(f"cannot use the database {redact_url(url)}: {exc}") from exc
    if created or upgrade:
        migrations.upgrade()
    if created and announce:
        log.warning(NEW_DATABASE_WARNING.format(url=redact_url(url)))
    migrations.check_current()
    return DatabaseStatus(url=redact_url(url), created=created, version=migrations.HEAD)


def connect_database(settings: Settings | None = None) -> str:
    """Open the configured database without checking its schema; returns its URL."""
    settings = settings or get_settings()
    tighten(settings.home)  # a SQLite database's folder is created private when missing
    url = settings.resolved_database_url
    open_database(url)
    database.connect(reuse_if_open=True)
    return url


def redact_url(url: str) -> str:
    """The URL without a password, for messages and logs."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    userinfo, host = rest.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in userinfo else f"{scheme}://{user}@{host}"


def _file_in_the_way(path: str | None) -> str:
    """The file that stands where a directory of ``path`` should be (or ``path`` itself)."""
    if not path:
        return "a directory of its path"
    for candidate in reversed(Path(path).parents):
        if candidate.is_file():
            return str(candidate)
    return path
