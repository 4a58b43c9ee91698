"""How a command ends when plentysync's own storage fails: one line and status 1."""

from __future__ import annotations

import errno

import pytest
import typer

from cli.exit_status import FAILED, OneLineErrors
from core.errors import DiskFullError, InfrastructureError, PlentysyncError


def _failing(error: PlentysyncError) -> typer.Typer:
    app = typer.Typer(cls=OneLineErrors)

    @app.command()
    def export() -> None:
        raise error

    @app.command()
    def other() -> None:
        """A second command, so that ``export`` is a subcommand as in plentysync."""

    return app


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            DiskFullError("/srv/plentysync/plentysync.db", run_id=4),
            "disk full at /srv/plentysync/plentysync.db: free space, then plentysync run resume 4",
        ),
        (
            InfrastructureError("the PostgreSQL database is out of reach", service="database"),
            "the PostgreSQL database is out of reach",
        ),
    ],
)
def test_a_storage_failure_is_one_line_and_status_1(
    error: PlentysyncError,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.argv", ["plentysync", "export"])
    with pytest.raises(SystemExit) as ended:
        _failing(error)()
    assert ended.value.code == FAILED == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"error: {line}"]


def test_no_space_left_on_a_file_of_ours_is_a_full_disk() -> None:
    full = DiskFullError.of(OSError(errno.ENOSPC, "No space left on device", "/srv/logs/x.jsonl"))
    assert full is not None and str(full.for_run(9)) == (
        "disk full at /srv/logs/x.jsonl: free space, then plentysync run resume 9"
    )
    assert DiskFullError.of(OSError(errno.EACCES, "Permission denied", "/srv/x")) is None
