"""The file lock that keeps one ``plentysync serve`` (or embedded service) per data directory."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from core.files import FILE_MODE


def lock_path(home: Path) -> str:
    return str(home / "serve.lock")


def serve_lock(home: Path) -> FileLock:
    """The lock of the data directory ``home``; its file is private.

    Not thread-local: an embedded service takes it in one thread and may release it in
    the thread that waited for its workers to stop.
    """
    return FileLock(lock_path(home), mode=FILE_MODE, thread_local=False)


def held_elsewhere(home: Path) -> bool:
    """Whether a process holds the serve lock of ``home`` now (tried, never waited for)."""
    if not Path(lock_path(home)).exists():
        return False
    lock = serve_lock(home)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False
