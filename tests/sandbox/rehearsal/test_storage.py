"""The stored rehearsal: private file modes, a faithful round trip, and the purge."""

from __future__ import annotations

import stat
from pathlib import Path

from sandbox.rehearsal import (
    SHOP_FILE,
    import_exports,
    load_rehearsal,
    purge_rehearsal,
    read_manifest,
    save_rehearsal,
)
from tests.sandbox.rehearsal.support import FIXTURE


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_saved_private_and_read_back_unchanged(tmp_path: Path) -> None:
    shop = import_exports(FIXTURE).shop
    directory = tmp_path / "rehearsal"
    path = save_rehearsal(shop, directory, ["customers.csv", "addresses.csv"], home_was_new=True)
    assert path == directory / SHOP_FILE
    assert _mode(directory) == 0o700 and _mode(path) == 0o600
    assert [p.name for p in directory.iterdir()] == [SHOP_FILE]  # no temporary file left
    assert load_rehearsal(directory) == shop
    manifest = read_manifest(directory)
    assert manifest is not None and manifest["home_was_new"] is True
    assert manifest["sources"] == ["customers.csv", "addresses.csv"]


def test_a_loose_directory_and_an_old_file_are_made_private(tmp_path: Path) -> None:
    directory = tmp_path / "rehearsal"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    (directory / SHOP_FILE).write_text("{}")
    (directory / SHOP_FILE).chmod(0o644)
    path = save_rehearsal(import_exports(FIXTURE).shop, directory, [], home_was_new=False)
    assert _mode(directory) == 0o700 and _mode(path) == 0o600


def test_purge_removes_the_directory_only(tmp_path: Path) -> None:
    directory = tmp_path / "rehearsal"
    neighbour = tmp_path / "plentysync.db"
    neighbour.write_text("kept")
    save_rehearsal(import_exports(FIXTURE).shop, directory, [], home_was_new=True)
    assert purge_rehearsal(directory) is True
    assert not directory.exists() and neighbour.read_text() == "kept"
    assert purge_rehearsal(directory) is False
    assert load_rehearsal(directory) is None
