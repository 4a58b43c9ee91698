"""The application log: a rotated file in the log directory, as text or JSON lines.

The file is created with mode 0600 (it may name customers' ids and hosts) and rotated at
10 MB, keeping 5 old files. ``PLENTYSYNC_LOG_FORMAT=json`` writes one JSON object per line
(time, level, logger, message, and the exception if any) for log shippers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.files import FILE_MODE, private_dir, tighten
from core.settings import Settings

LOG_FILE = "plentysync.log"
MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
            "thread": record.threadName,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log file that is created, and re-created on rotation, with mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.fchmod(fd, FILE_MODE)  # an existing file keeps its mode on open
        return io.TextIOWrapper(io.FileIO(fd, "a"), encoding=self.encoding or "utf-8")


def file_handler(log_dir: Path, log_format: str, *, ours: bool = True) -> logging.Handler:
    """The handler that writes the application log into ``log_dir``.

    ``ours=False`` (a log directory outside the data directory) leaves an existing
    directory's mode alone; the files in it are private either way.
    """
    private_dir(log_dir, ours=ours)
    for generation in range(BACKUPS + 1):
        tighten(log_dir / (LOG_FILE + (f".{generation}" if generation else "")))
    handler = PrivateRotatingFileHandler(
        log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def log_dir_is_ours(settings: Settings) -> bool:
    """True when the log directory lies in the data directory (the default)."""
    return settings.resolved_log_dir.is_relative_to(settings.home)
