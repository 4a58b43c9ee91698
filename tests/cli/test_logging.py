"""The command's log lines, on the terminal and in the log file, show no customer's e-mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.operations.logfile import LOG_FILE
from sandbox.server import RunningServer
from tests.cli.support import in_process as cli
from tests.cli.support import set_up_profile, small_sandboxes

EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]+")


@pytest.fixture
def sandboxes() -> Iterator[tuple[RunningServer, RunningServer]]:
    with small_sandboxes() as servers:
        yield servers


@pytest.mark.slow  # a real export process, paced by the sandbox budget
def test_export_with_request_lines_masks_every_email(
    tmp_path: Path, sandboxes: tuple[RunningServer, RunningServer]
) -> None:
    home = tmp_path / "data"
    set_up_profile(home, *sandboxes)
    exported = cli(home, "customer", "export", "--profile-id", "eu", "--entity-ids", "1-5", "-vvv")
    assert exported.returncode == 0, exported.stderr
    log_file = (home / "logs" / LOG_FILE).read_text()
    for text in (exported.stderr, log_file):
        assert "contactEmail=" in text and "***@" in text  # request lines shown, masked
        assert "HTTP Request: GET" in text and "send_request_headers" in text
        assert EMAIL.findall(text) == []
