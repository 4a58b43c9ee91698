"""The SQLite and PostgreSQL databases plentysync opens, and what their failures mean.

Where the database itself failed, not the statement, both raise plentysync's errors
(``core.errors``) instead of the driver's:

* ``InfrastructureError``: a connection that is gone, a server restarting or refusing
  connections, a lock still held when SQLite's busy timeout ran out. The work is tried
  again later; nothing is wrong with the customer being exported.
* ``DiskFullError``: the disk under the database is full. The run stops and resumes once
  there is space.

A lost PostgreSQL connection is replaced on the next statement outside a transaction
(playhouse's ``ReconnectMixin``), so a long-lived process such as the scheduler or a worker
carries on after a server restart; a transaction that was cut off fails as a whole. SQLite
undoes a transaction by itself when the disk fills up; our rollback then has nothing left to
undo and is skipped, so the disk-full error is the one the caller sees.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import peewee
import psycopg
from playhouse.shortcuts import ReconnectMixin

from core.errors import DiskFullError, InfrastructureError, PlentysyncError

log = logging.getLogger(__name__)

T = TypeVar("T")

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL = 5, 6, 13
# PostgreSQL's SQLSTATE for a full disk ("disk_full", class 53: insufficient resources).
PG_DISK_FULL = "53100"
CONNECTION_LOST = ("08", "57P")
# Seconds before work that met a locked or unreachable database is tried again.
RETRY_AFTER = 5.0


class _Outages(peewee.Database):
    """Raises plentysync's errors for a database that is unreachable, locked or full."""

    def outage(self, driver_error: Exception) -> PlentysyncError | None:
        """The plentysync error ``driver_error`` stands for, or ``None`` for a statement's own.

        Each engine below knows its driver's codes; a driver error it does not recognise is
        the statement's own and stays peewee's.
        """
        return None

    def _guarded(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return call(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            # peewee keeps the driver's exception as ``orig``; its own errors have none.
            driver_error = getattr(exc, "orig", None)
            mapped = self.outage(driver_error) if isinstance(driver_error, Exception) else None
            if mapped is None:
                raise
            raise mapped from exc

    def connect(self, reuse_if_open: bool = False) -> bool:
        return self._guarded(super().connect, reuse_if_open)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return self._guarded(super().execute_sql, sql, params)

    def begin(self, *args: Any, **kwargs: Any) -> None:
        self._guarded(super().begin, *args, **kwargs)

    def commit(self) -> None:
        self._guarded(super().commit)


class SqliteDatabase(_Outages, peewee.SqliteDatabase):
    """SQLite whose locks past the busy timeout are transient and whose full disk is named."""

    def outage(self, driver_error: Exception) -> PlentysyncError | None:
        code = getattr(driver_error, "sqlite_errorcode", None)
        if not isinstance(driver_error, sqlite3.Error) or code is None:
            return None
        primary = code & 0xFF
        if primary in (SQLITE_BUSY, SQLITE_LOCKED):
            return InfrastructureError(
                f"the SQLite database {self.database} stayed locked by another process "
                f"longer than its busy timeout ({driver_error})",
                service="database",
                retry_after=RETRY_AFTER,
            )
        if primary == SQLITE_FULL:
            return DiskFullError(str(self.database))
        return None

    def rollback(self) -> None:
        conn = None if self.is_closed() else self.connection()
        if conn is not None and not conn.in_transaction:
            # SQLite already undid the transaction (it does so on a full disk).
            return
        self._guarded(super().rollback)


class PostgresqlDatabase(_Outages, ReconnectMixin, peewee.PostgresqlDatabase):
    """PostgreSQL that reconnects after a lost connection and names a full disk."""

    reconnect_errors = (
        (peewee.OperationalError, "server closed the connection"),
        (peewee.OperationalError, "terminating connection"),
        (peewee.OperationalError, "ssl connection has been closed"),
        (peewee.OperationalError, "could not receive data from server"),
        (peewee.OperationalError, "no connection to the server"),
        (peewee.OperationalError, "the connection is closed"),
        (peewee.OperationalError, "connection is lost"),
        (peewee.InterfaceError, "connection already closed"),
    )

    def outage(self, driver_error: Exception) -> PlentysyncError | None:
        if not isinstance(driver_error, psycopg.OperationalError | psycopg.InterfaceError):
            return None
        code = driver_error.sqlstate
        if code == PG_DISK_FULL:
            return DiskFullError(f"the PostgreSQL server {self.connect_params.get('host', '')}")
        text = str(driver_error).strip()
        summary = text.splitlines()[0] if text else type(driver_error).__name__
        # No SQLSTATE (the server never answered), a connection exception (08) or a server
        # shutting down or starting (57P): the connection is the problem, not the work.
        lost = code is None or str(code).startswith(CONNECTION_LOST)
        what = "is out of reach" if lost else "refused the work for now"
        return InfrastructureError(
            f"the PostgreSQL database {what} ({summary})",
            service="database",
            retry_after=RETRY_AFTER,
        )

    def rollback(self) -> None:
        try:
            self._guarded(super().rollback)
        except InfrastructureError as exc:
            # The connection is gone and the server has undone the transaction with it; the
            # error that ended the transaction is the one to report, not this one.
            log.debug("rollback on a lost PostgreSQL connection skipped: %s", exc)
            if not self.in_transaction():
                self.close()
