"""Rehearsals: a merchant's Magento CSV exports served by the Magento sandbox, and their purge.

A rehearsal lives in ``<home>/rehearsal/`` (0700, the shop in a 0600 file). When the import
finds no database in the home, the home is the rehearsal's own: the purge then removes its
database and log files too; otherwise it leaves them alone and says so.
"""

from __future__ import annotations

from pathlib import Path

import typer

from cli._common import err, fail, out
from core.operations.logfile import LOG_FILE
from core.settings import get_settings
from core.tools.request_log import log_files
from sandbox.data import ImportedShop
from sandbox.rehearsal import (
    RehearsalImport,
    import_exports,
    load_rehearsal,
    purge_rehearsal,
    read_manifest,
    save_rehearsal,
)

REHEARSAL_DIR = "rehearsal"
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def rehearsal_dir() -> Path:
    return get_settings().home / REHEARSAL_DIR


def _own_database() -> Path | None:
    """The SQLite file in the home when the database is the default one, else None."""
    settings = get_settings()
    return None if settings.database_url else settings.home / "plentysync.db"


def _print_report(found: RehearsalImport) -> None:
    for export in found.files:
        kind = export.kind or "not an export"
        out.print(f"{export.name}: {kind}, {export.encoding}, {len(export.rows)} rows")
        if export.dropped_columns:
            out.print(f"  secret columns dropped unread: {', '.join(export.dropped_columns)}")
    if found.errors:
        out.print(f"refused ({found.refused_rows} rows):")
        for problem in found.errors:
            out.print(f"  {problem}")
    if found.warnings:
        out.print(f"read with a warning ({len(found.warnings)}):")
        for problem in found.warnings:
            out.print(f"  {problem}")
    websites = len(found.shop.layout.websites) - 1
    customers = len(found.shop.customers)
    out.print(
        f"imported {customers} customers with {found.addresses} addresses "
        f"on {websites} websites; {found.refused_rows} rows refused"
    )


def import_rehearsal(files: list[Path]) -> ImportedShop:
    """Read the exports, store what was read, print the report; exits 2 when nothing was."""
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        fail(f"--import-csv: no such file: {', '.join(missing)}")
    found = import_exports(files)
    _print_report(found)
    if not found.shop.customers:
        fail("--import-csv: no customer could be read; nothing stored")
    database = _own_database()
    earlier = read_manifest(rehearsal_dir())
    # Importing again keeps the verdict of the first import: the database made since is ours.
    home_was_new = (
        bool(earlier.get("home_was_new"))
        if earlier is not None
        else database is not None and not database.exists()
    )
    stored = save_rehearsal(
        found.shop, rehearsal_dir(), [path.name for path in files], home_was_new
    )
    count = len(found.shop.customers)
    replaced = " (it replaces the earlier import)" if earlier is not None else ""
    out.print(f"stored in {stored} (mode 0600){replaced}")
    out.print(
        f"[bold]customer ids 1..{count} are synthetic, made for this rehearsal: never reuse "
        "them, nor this data directory and its links, for the real go-live.[/]"
    )
    if not home_was_new:
        err.print(
            "[yellow]warning:[/] this data directory already has a database: rehearse in a "
            "directory of its own (PLENTYSYNC_HOME) so the purge can remove all of it."
        )
    return found.shop


def stored_rehearsal() -> ImportedShop:
    shop = load_rehearsal(rehearsal_dir())
    if shop is None:
        fail(f"--rehearsal: nothing imported in {rehearsal_dir()}; use --import-csv first")
    return shop


def _doomed_files() -> list[Path]:
    """The database and log files of a home that was made for the rehearsal."""
    doomed: list[Path] = []
    database = _own_database()
    if database is not None:
        doomed += [p for s in _SQLITE_SUFFIXES if (p := Path(f"{database}{s}")).exists()]
    log_dir = get_settings().resolved_log_dir
    if log_dir.is_dir():
        doomed += sorted(p for p in log_dir.glob(f"{LOG_FILE}*") if p.is_file())
    doomed += log_files(log_dir)
    return doomed


def purge(yes: bool) -> None:
    """Remove the rehearsal's shop and, in a home of its own, its database and logs."""
    directory = rehearsal_dir()
    manifest = read_manifest(directory)
    if manifest is None:
        out.print(f"no rehearsal in {directory}: nothing to purge")
        return
    own_home = bool(manifest.get("home_was_new"))
    doomed = _doomed_files() if own_home else []
    listing = "\n".join(f"  {path}" for path in [directory, *doomed])
    if not yes:
        typer.confirm(f"Delete the rehearsal's data for good?\n{listing}\n", abort=True)
    purge_rehearsal(directory)
    for path in doomed:
        path.unlink(missing_ok=True)
    out.print(f"purged {directory} and {len(doomed)} database and log files")
    if not own_home:
        out.print(
            "the database and logs were there before the rehearsal and were left alone; "
            "remove the rehearsal's profile, source and client with their own commands"
        )
