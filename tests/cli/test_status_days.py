"""``plentysync status`` names the days a run's rest needs at the daily write cap."""

from __future__ import annotations

from cli.status import _run_line
from core.services.status import CurrentRun


def _run(cap_days: float | None) -> CurrentRun:
    return CurrentRun(
        id=7,
        status="running",
        trigger="manual",
        started_at=None,
        last_progress_at=None,
        batches_done=3,
        batches=2_000,
        enumerated=True,
        customers_done=150,
        owner="inline",
        owner_state="alive",
        cap_days=cap_days,
    )


def test_a_run_line_says_how_many_days_the_cap_implies() -> None:
    assert "≈ 8.3 days at the daily write cap" in _run_line(_run(8.31))
    assert "daily write cap" not in _run_line(_run(None))
    assert "daily write cap" not in _run_line(_run(0.01))  # a run of minutes says nothing
