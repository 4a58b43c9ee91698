"""The application log file: private, rotated, JSON lines on request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.operations.logfile import LOG_FILE, configure_logging, file_handler
from core.settings import Settings
from sandbox.plenty import SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread


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


@pytest.fixture
def root_logging() -> Iterator[io.StringIO]:
    """A stream on the root logger, as Dramatiq gives each worker process; all undone after."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, {h: list(h.filters) for h in root.handlers})
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    stream = io.StringIO()
    root.addHandler(logging.StreamHandler(stream))
    yield stream
    for handler in list(root.handlers):
        if handler not in saved[0]:
            root.removeHandler(handler)
            handler.close()
    for handler, filters in saved[2].items():
        handler.filters[:] = filters
    root.setLevel(saved[1])
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def plenty_url() -> Iterator[str]:
    with serve_in_thread(plenty_app(SandboxConfig())) as server:
        yield server.base_url


@pytest.mark.parametrize(("level", "verbosity"), [("INFO", 2), ("DEBUG", 3), ("DEBUG", 0)])
def test_no_process_logs_an_email_from_a_request(
    root_logging: io.StringIO,
    plenty_url: str,
    plentysync_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    level: str,
    verbosity: int,
) -> None:
    monkeypatch.setenv("PLENTYSYNC_LOG_LEVEL", level)
    configure_logging(Settings(), verbosity=verbosity)
    url = f"{plenty_url}/rest/accounts/contacts"
    answer = httpx.get(url, params={"contactEmail": "jane.doe@example.com", "itemsPerPage": 50})
    try:
        answer.raise_for_status()
    except httpx.HTTPStatusError:
        logging.getLogger("core.export").exception("lookup failed for jane.doe@example.com")
    written = root_logging.getvalue()
    log_file = (plentysync_home / "logs" / LOG_FILE).read_text()
    for text in (written, log_file):
        assert "jane.doe" not in text and "jane.doe%40example.com" not in text
        assert "lookup failed for j***@e***.com" in text
        assert "contactEmail=j***@e***.com" in text  # the traceback names the URL, masked
        assert ("HTTP Request: GET" in text) == (verbosity >= 2)


def test_secrets_leave_even_unmasked_lines(
    root_logging: io.StringIO, plentysync_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_MASK_PERSONAL_DATA", "false")
    configure_logging(Settings())
    logging.getLogger("core.magento").warning(
        "GET https://shop.test/rest?searchCriteria[pageSize]=5&access_token=abc123&email=a@b.de"
    )
    written = root_logging.getvalue()
    assert "abc123" not in written and "access_token=[redacted]" in written
    assert "email=a@b.de" in written
