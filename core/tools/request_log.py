"""Request and response logs of one profile: JSON lines in the log directory, rotated, 0600.

Records arrive from the PlentyONE client already cleaned (``core.plenty._logging``): tokens,
passwords and the Authorization header are never part of them, and personal data is masked
unless ``PLENTYSYNC_MASK_PERSONAL_DATA=false``. This module only decides what of a record to
keep, and writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from core.files import create_private_file, private_dir, tighten
from core.operations.logfile import PrivateRotatingFileHandler
from core.plenty import ExchangeHook, ExchangeRecord
from core.profiles.settings import LogSection
from core.settings import get_settings

__all__ = [
    "LOG_BACKUPS",
    "LOG_MAX_BYTES",
    "ProfileLog",
    "log_files",
    "log_path",
    "release_log",
    "request_log_hooks",
    "rewrite_log",
]

LOG_MAX_BYTES = 20 * 1024 * 1024  # per file; five rotated files keep about 100 MB per profile
LOG_BACKUPS = 5
_REWRITE = ".rewrite"  # suffix of a file being rewritten by ``rewrite_log``


def log_path(profile_id: int, log_dir: Path | None = None) -> Path:
    """The current request-log file of a profile."""
    return (log_dir or get_settings().resolved_log_dir) / f"plenty-profile-{profile_id}.jsonl"


def log_files(log_dir: Path | None = None) -> list[Path]:
    """Every request-log file in the log directory, rotated generations included."""
    folder = log_dir or get_settings().resolved_log_dir
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("plenty-profile-*.jsonl*")
        if p.is_file() and not p.name.endswith(_REWRITE)
    )


_handlers: dict[Path, RotatingFileHandler] = {}
_handlers_lock = threading.Lock()


def _handler(path: Path, max_bytes: int, backups: int) -> RotatingFileHandler:
    """One handler per file and process, so threads share its lock and its rotation."""
    with _handlers_lock:
        handler = _handlers.get(path)
        if handler is None:
            private_dir(path.parent, ours=path.parent.is_relative_to(get_settings().home))
            for generation in range(backups + 1):
                tighten(path.with_name(path.name + (f".{generation}" if generation else "")))
            handler = PrivateRotatingFileHandler(
                path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
            )
            handler.setFormatter(logging.Formatter("%(message)s"))
            _handlers[path] = handler
        return handler


class ProfileLog:
    """The exchange hook that writes one profile's PlentyONE calls as JSON lines.

    ``requests`` keeps what was sent (method, URL, body); ``responses`` keeps what came back
    (status, rate-limit headers, body). Either alone is allowed, as the profile's toggles are.
    """

    def __init__(
        self,
        profile_id: int,
        *,
        requests: bool,
        responses: bool,
        log_dir: Path | None = None,
        max_bytes: int = LOG_MAX_BYTES,
        backups: int = LOG_BACKUPS,
    ) -> None:
        self.profile_id = profile_id
        self.requests = requests
        self.responses = responses
        self.path = log_path(profile_id, log_dir)
        self._handler = _handler(self.path, max_bytes, backups)

    def __call__(self, record: ExchangeRecord) -> None:
        line: dict[str, Any] = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "profile": self.profile_id,
            "method": record.method,
            "route": record.route,
            "url": record.url,
            "kind": record.kind,
            "attempt": record.attempt,
        }
        if self.requests:
            line["request"] = record.request_body
        if self.responses:
            line.update(
                status=record.status,
                seconds=round(record.duration, 3),
                headers=record.headers,
                response=record.response_body,
                error=record.error,
            )
        text = json.dumps(line, ensure_ascii=False, default=str)
        self._handler.handle(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))


def request_log_hooks(profile_id: int, toggles: LogSection) -> list[ExchangeHook]:
    """The hooks a profile's toggles ask for: none when both logs are off."""
    if not (toggles.is_active_request_log or toggles.is_active_response_log):
        return []
    return [
        ProfileLog(
            profile_id,
            requests=toggles.is_active_request_log,
            responses=toggles.is_active_response_log,
        )
    ]


def release_log(path: Path) -> None:
    """Close this process's handler of ``path`` (before the file is rewritten or removed)."""
    with _handlers_lock:
        handler = _handlers.pop(path, None)
    if handler is not None:
        handler.close()


def rewrite_log(path: Path, keep: Callable[[str], bool]) -> int:
    """Rewrite ``path`` with only the lines ``keep`` accepts; returns the lines removed.

    The new file replaces the old one atomically and is created 0600 like the original.
    """
    release_log(path)
    removed = 0
    temporary = path.with_name(path.name + _REWRITE)
    with (
        os.fdopen(create_private_file(temporary), "w", encoding="utf-8") as out,
        path.open(encoding="utf-8") as old,
    ):
        for line in old:
            if keep(line):
                out.write(line)
            else:
                removed += 1
    os.replace(temporary, path)
    return removed
