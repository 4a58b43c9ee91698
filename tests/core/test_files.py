"""Files and directories plentysync makes are private; loose ones of ours are tightened."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from core.db import init_database
from core.db.connection import database
from core.files import create_private_file, private_dir, tighten, write_private_text
from core.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> object:
    """The usual 022 umask, so a file is private only because the code made it so."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.usefixtures("open_umask")
def test_missing_directories_are_made_0700(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    made = private_dir(tmp_path / "home" / "logs")
    assert mode(made) == 0o700 and mode(made.parent) == 0o700
    assert mode(tmp_path) == 0o755  # an existing parent is not ours to change


def test_a_loose_file_of_ours_is_tightened_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "plentysync.db"
    path.write_text("")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="core.files"):
        assert tighten(path) is True
        assert tighten(path) is False
    assert mode(path) == 0o600
    assert [r.getMessage() for r in caplog.records] == [
        f"tightened {path} from mode 644 to 600: it may hold customers' data or secrets"
    ]


def test_a_shared_directory_is_never_tightened(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # sticky and world-writable, as /tmp
    assert tighten(shared) is False
    assert mode(shared) == 0o1777
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    private_dir(chosen, ours=False)
    assert mode(chosen) == 0o755


@pytest.mark.usefixtures("open_umask")
def test_written_files_are_0600_even_when_they_existed(tmp_path: Path) -> None:
    path = tmp_path / "eu.json"
    path.write_text("old")
    path.chmod(0o644)
    write_private_text(path, "{}\n")
    assert mode(path) == 0o600 and path.read_text() == "{}\n"
    fresh = tmp_path / "backup.jsonl"
    os.close(create_private_file(fresh, exclusive=True))
    assert mode(fresh) == 0o600
    with pytest.raises(FileExistsError):
        create_private_file(fresh, exclusive=True)


@pytest.mark.usefixtures("open_umask")
def test_a_new_sqlite_database_and_its_journals_are_0600(plentysync_home: Path) -> None:
    settings = Settings()
    init_database(settings, announce=False)
    try:
        database.execute_sql("CREATE TABLE probe (x INTEGER)")
        database.execute_sql("INSERT INTO probe VALUES (1)")
        files = sorted(plentysync_home.glob("plentysync.db*"))
        assert {p.name for p in files} >= {
            "plentysync.db",
            "plentysync.db-wal",
            "plentysync.db-shm",
        }
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(plentysync_home) == 0o700
    finally:
        database.close()


@pytest.mark.usefixtures("open_umask")
def test_an_existing_database_and_home_are_tightened(plentysync_home: Path) -> None:
    init_database(Settings(), announce=False)
    database.close()
    plentysync_home.chmod(0o755)
    (plentysync_home / "plentysync.db").chmod(0o644)
    init_database(Settings(), announce=False)
    database.close()
    assert mode(plentysync_home) == 0o700
    assert mode(plentysync_home / "plentysync.db") == 0o600
