"""Following a run another process works: its counts, speed, ETAs and budget, until it ends.

A run handed to the workers or to a serve ends the way an inline export does: the command
waits, shows how the run goes, prints the same summary and exits with the same status, so a
cron job sees a failed customer whoever worked the run. Following only reads the database;
Ctrl-C stops the following, never the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import NoReturn

import typer

from cli._common import err, fail, out
from cli.exit_status import INTERRUPTED
from core.db.models import Run, utcnow
from core.errors import ConfigError
from core.services.progress import RunProgress, run_progress

# How often the database is read while following, and how often a line is written when
# nobody watches a terminal (a log file wants a line now and then, not one per read).
POLL_S = 1.0
LOG_EVERY_S = 30.0


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def progress_line(progress: RunProgress) -> str:
    """One line on how the run goes: counts, speed, the two ETAs, the budget's wait."""
    total = str(progress.total) if progress.enumerated else "?"
    counts = ", ".join(f"{n} {name}" for name, n in progress.counts if n)
    line = (
        f"run {progress.run_id} {progress.status}: {progress.done}/{total}"
        + (f" ({counts})" if counts else "")
        + f"; {progress.per_minute:.0f}/min"
        + f"; ETA {_duration(progress.eta_now_s)} at this pace, "
        + f"{_duration(progress.eta_budget_s)} at the budget limit"
        + f"; PlentyONE calls {progress.api_reads} read, {progress.api_writes} write"
        + f" (budget {progress.budget_reads_per_minute:.0f} reads, "
        + f"{progress.budget_writes_per_minute:.0f} writes a minute)"
    )
    if progress.blackout_until is not None:
        line += f"; waits for the blackout window to end at {progress.blackout_until:%H:%M} UTC"
    return line


def follow_run(
    run_id: int,
    *,
    show: bool = True,
    poll_s: float = POLL_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Run:
    """Wait until run ``run_id`` has ended, printing how it goes; returns the ended run.

    On a terminal the line is redrawn in place; elsewhere a line is written whenever the
    status changes and every ``LOG_EVERY_S`` seconds. Ctrl-C ends the command (status 130)
    with one line saying the run goes on.
    """
    try:
        progress = run_progress(run_id, utcnow())
    except ConfigError as exc:
        fail(str(exc))
    try:
        return _follow(progress, show=show, poll_s=poll_s, sleep=sleep)
    except KeyboardInterrupt:
        stop_following(run_id)


def _follow(
    progress: RunProgress, *, show: bool, poll_s: float, sleep: Callable[[float], None]
) -> Run:
    terminal = out.is_terminal
    said: tuple[str, float] | None = None
    with out.status("") if show and terminal else nullcontext() as status:
        while progress.open:
            line = progress_line(progress)
            if status is not None:
                status.update(line)
            elif show and (
                said is None
                or said[0] != progress.status
                or time.monotonic() - said[1] >= LOG_EVERY_S
            ):
                out.print(line, soft_wrap=True)
                said = (progress.status, time.monotonic())
            sleep(poll_s)
            progress = run_progress(progress.run_id, utcnow())
    return Run.get_by_id(progress.run_id)


def stop_following(run_id: int) -> NoReturn:
    """Ctrl-C while following: the run goes on; say so and how to follow it again."""
    err.print(
        f"stopped following run {run_id}; the run goes on "
        f"(follow it again with 'plentysync run follow {run_id}')"
    )
    raise typer.Exit(INTERRUPTED)
