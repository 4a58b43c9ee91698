"""Opening the configured database picks the driver plentysync supports."""

from __future__ import annotations

import psycopg
import pytest

from core.db.connection import open_database


@pytest.mark.postgres
def test_postgresql_is_reached_through_psycopg_3(postgres_url: str) -> None:
    db = open_database(postgres_url)
    assert isinstance(db.connection(), psycopg.Connection)
    assert db.execute_sql("SELECT %s + 1", (41,)).fetchone() == (42,)
    schema = db.execute_sql("SELECT current_schema()").fetchone()
    assert schema is not None and schema[0] == postgres_url.rsplit("%3D", 1)[1]
