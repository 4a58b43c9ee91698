"""The run view says how many days the daily write cap makes a long load take."""

from __future__ import annotations

from core.services.progress import RunProgress
from tui.screens.run_view import progress_lines


def _progress(cap_days: float | None) -> RunProgress:
    return RunProgress(
        run_id=3,
        profile_id=1,
        profile_name="eu",
        status="running",
        trigger="manual",
        enumerated=True,
        total=100_000,
        done=12_000,
        counts=(("created", 12_000),),
        api_reads=10,
        api_writes=43_000,
        batches_done=120,
        batches=1_000,
        per_minute=70.0,
        eta_now_s=3_600.0,
        eta_budget_s=700_000.0,
        blackout_until=None,
        failures=(),
        error="",
        cap_days=cap_days,
    )


def test_the_eta_line_names_the_days_at_the_write_cap() -> None:
    assert any(
        "(7.3 days at the daily write cap)" in line for line in progress_lines(_progress(7.31))
    )
    assert not any("write cap" in line for line in progress_lines(_progress(None)))
