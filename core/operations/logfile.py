"""The application log: one set-up for every process, a rotated file, masked records.

``configure_logging`` is called first by every plentysync process (the CLI and ``serve`` and
``scheduler`` through it, Dramatiq's worker processes when they load the actors). It adds
the log file to the root logger and puts ``MaskingFilter`` on every root handler, so what
any library logs (httpx's request lines carry query strings such as ``contactEmail=...``)
is cleaned by the rule of the request logs: no secrets, personal data masked unless
``PLENTYSYNC_MASK_PERSONAL_DATA=false``. httpx and httpcore stay at WARNING unless asked.

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

from core.export.result_text import RESULTS_LOGGER
from core.files import FILE_MODE, private_dir, tighten
from core.plenty import clean_text
from core.settings import Settings, get_settings

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
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
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


class MaskingFilter(logging.Filter):
    """Cleans each record's text (message and traceback) before a handler writes it."""

    def __init__(self, *, mask: bool) -> None:
        super().__init__()
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: the handler reports it, as without the filter
            return True
        cleaned = clean_text(message, mask=self.mask)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = clean_text(record.exc_text, mask=self.mask)
        if record.stack_info:
            record.stack_info = clean_text(record.stack_info, mask=self.mask)
        return True


def log_dir_is_ours(settings: Settings) -> bool:
    """True when the log directory lies in the data directory (the default)."""
    return settings.resolved_log_dir.is_relative_to(settings.home)


def configure_logging(settings: Settings | None = None, *, verbosity: int = 0) -> None:
    """Set up logging for this process: level, log file, masking, quiet HTTP libraries.

    Safe to call again (a second call adds no second file or filter). A handler that is
    already there, such as the stream Dramatiq gives each worker process, keeps its target
    and is masked as well.
    """
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format=TEXT_FORMAT)
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    if not any(isinstance(h, PrivateRotatingFileHandler) for h in root.handlers):
        try:
            root.addHandler(
                file_handler(
                    settings.resolved_log_dir,
                    settings.log_format,
                    ours=log_dir_is_ours(settings),
                )
            )
        except OSError as exc:  # a read-only home must not stop the command
            root.warning("no log file in %s: %s", settings.resolved_log_dir, exc)
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter(mask=settings.mask_personal_data))
    set_verbosity(verbosity)


def set_verbosity(verbosity: int) -> None:
    """``-v`` INFO with one line per customer, ``-vv`` DEBUG with httpx's request lines,
    ``-vvv`` httpcore's and the SQL statements too.

    Without it the configured level stays; httpx and httpcore never log below WARNING (one
    line per request drowns what matters), nor the per-customer lines of
    ``core.export.batch`` (the ``plentysync.results`` logger) below WARNING.
    """
    root = logging.getLogger()
    if verbosity:
        root.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)
    quiet = max(logging.WARNING, root.level)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbosity >= 2 else quiet)
    logging.getLogger("httpcore").setLevel(logging.DEBUG if verbosity >= 3 else quiet)
    logging.getLogger(RESULTS_LOGGER).setLevel(logging.INFO if verbosity else quiet)
    # peewee writes every statement at DEBUG.
    logging.getLogger("peewee").setLevel(logging.DEBUG if verbosity >= 3 else logging.INFO)
