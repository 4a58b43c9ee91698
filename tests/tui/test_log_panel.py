"""The TUI's log screen is masked as the log file is."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.operations.logfile import configure_logging
from core.settings import Settings
from tui.log_panel import MemoryLog, keep_off_terminal


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level, last = list(root.handlers), root.level, logging.lastResort
    for handler in handlers:
        root.removeHandler(handler)
    yield root
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    logging.lastResort = last


@pytest.mark.parametrize("log_file", [True, False], ids=["with-log-file", "no-log-file"])
def test_the_log_screen_masks_an_email_like_the_log_file(
    clean_root: logging.Logger, tmp_path: Path, log_file: bool
) -> None:
    """Masked also when no log file could be opened (its filter no longer cleans first)."""
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    log_dir = None if log_file else blocked / "logs"
    configure_logging(Settings(home=tmp_path / "home", log_dir=log_dir, mask_personal_data=True))
    memory = MemoryLog()
    keep_off_terminal(memory)
    logger = logging.getLogger("core.export")
    # Straight to the log screen's handler: no other handler may have cleaned the record first.
    memory.handle(
        logger.makeRecord(
            logger.name,
            logging.WARNING,
            __file__,
            1,
            "refused: %s has no address",
            ("jane.doe@example.com",),
            None,
        )
    )
    shown = "\n".join(memory.lines)
    assert "refused:" in shown
    assert "jane.doe@example.com" not in shown
