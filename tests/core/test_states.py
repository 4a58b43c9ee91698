"""States are ``Literal`` types defined once: the type checker refuses a misspelt one."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core import states
from core.export import queue, runs

ROOT = Path(__file__).resolve().parents[2]


def test_values_lists_each_state_once_in_order() -> None:
    assert states.values(states.BatchEnd) == ("done", "parked", "waiting")
    assert states.values(states.OutcomeAction) == (*states.values(states.Action), "parked")
    assert states.values(states.RunStatus) == runs.RUN_STATUSES
    assert queue.STATUSES == ("pending", "processing", "changed", "failed")


def test_mypy_refuses_a_misspelt_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.setenv("MYPYPATH", str(ROOT))  # this tree's modules, not an installed copy
    snippet = tmp_path / "misspelt.py"
    snippet.write_text(
        textwrap.dedent(
            """
            from core.export.batch import BatchResult
            from core.export.entity import Outcome
            from core.export.resolve import Resolution
            from core.states import FiringKind

            BatchResult("done")
            Outcome("unchanged")
            BatchResult("parkd")
            Outcome("crated")
            Resolution(how="mail")
            kind: FiringKind = "wach"
            """
        )
    )
    out, _, status = api.run(
        [
            "--follow-imports=silent",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            str(snippet),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert [int(line.split(":")[1]) for line in errors] == [9, 10, 11, 12], out
