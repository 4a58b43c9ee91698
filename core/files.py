"""Files and directories plentysync creates are private to the user that runs it.

The data directory holds customers' data (database, logs, backups) and the secret key, so
every directory plentysync makes is 0700 and every file 0600. ``restrict_umask`` is called
first thing by every process, so files made by libraries (SQLite's -wal and -shm, lock files)
are private too; the functions here also set the mode explicitly where a file is made.
An existing file or directory of ours that others may read is tightened, with one warning.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "create_private_file",
    "private_dir",
    "restrict_umask",
    "tighten",
    "write_private_text",
]

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def restrict_umask() -> None:
    """New files and directories of this process are readable by its user only."""
    os.umask(0o077)


def tighten(path: Path) -> bool:
    """Take group and other permissions off ``path`` (ours, not shared); True if it changed.

    A directory that is not ours or is shared with others (sticky, like /tmp) is left alone.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or not info.st_mode & _OTHERS:
        return False
    is_dir = stat.S_ISDIR(info.st_mode)
    if info.st_uid != os.getuid() or (is_dir and info.st_mode & stat.S_ISVTX):
        return False
    wanted = DIR_MODE if is_dir else FILE_MODE
    os.chmod(path, wanted)
    log.warning(
        "tightened %s from mode %o to %o: it may hold customers' data or secrets",
        path,
        stat.S_IMODE(info.st_mode),
        wanted,
    )
    return True


def private_dir(path: Path, *, ours: bool = True) -> Path:
    """Make ``path`` and its missing parents with mode 0700; tighten it when ``ours``.

    ``ours=False`` is for a directory the operator chose that may be shared (the folder of a
    database file): it is created private when missing but an existing one keeps its mode.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # another process made it at the same moment
        os.chmod(folder, DIR_MODE)  # mkdir's mode is reduced by the umask, never raised
    if ours and not missing:
        tighten(path)
    return path


def create_private_file(path: Path, *, exclusive: bool = False) -> int:
    """Open ``path`` for writing (created 0600, truncated) and return its descriptor.

    An existing file is tightened first. ``exclusive`` refuses a file that already exists.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    if not exclusive:
        tighten(path)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a 0600 file (an existing one is tightened first)."""
    with os.fdopen(create_private_file(path), "w", encoding="utf-8") as handle:
        handle.write(text)
