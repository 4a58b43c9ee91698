"""The application log file: private, rotated, JSON lines on request."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from core.operations.logfile import LOG_FILE, file_handler


def _log(handler: logging.Handler, message: str) -> None:
    logger = logging.getLogger("plentysync.test.logfile")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info(message, "eu")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("batch failed")
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_json_lines_for_log_shippers(tmp_path: Path) -> None:
    _log(file_handler(tmp_path / "logs", "json"), "run of profile %s done")
    path = tmp_path / "logs" / LOG_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["message"] == "run of profile eu done"
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "plentysync.test.logfile"
    assert "ValueError: boom" in lines[1]["exception"]


def test_text_log_rotates(tmp_path: Path) -> None:
    handler = file_handler(tmp_path, "text")
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.maxBytes = 200
    logger = logging.getLogger("plentysync.test.rotate")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    for number in range(20):
        logger.info("line %d of a log that outgrows its file", number)
    logger.removeHandler(handler)
    handler.close()
    rotated = tmp_path / f"{LOG_FILE}.1"
    assert rotated.exists() and rotated.stat().st_mode & 0o777 == 0o600
    assert "INFO plentysync.test.rotate: line 19" in (tmp_path / LOG_FILE).read_text()
