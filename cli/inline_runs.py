"""Working a run in this process: the progress bar, taking over a run whose process is gone,
and what a new export does while a run of the same profile is still open."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from cli._common import err, fail, out
from core.db.models import Profile, Run
from core.export.executor import InlineExecutor
from core.export.inline import Progress
from core.export.owner import run_owner, take_over
from core.export.runs import RUN_OPEN, running_run
from core.operations.history import COUNTS
from worker.jobs import resume_run


@contextmanager
def progress_bar(show: bool) -> Iterator[Progress | None]:
    """A progress callback drawing a bar while a person is watching (None when not)."""
    if not show:
        yield None
        return
    columns = (
        TextColumn("exporting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[calls]}"),
    )
    with RichProgress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("export", total=None, calls="")

        def update(current: Run) -> None:
            done = sum(getattr(current, name) for name in COUNTS)
            bar.update(
                task,
                total=current.total or None,
                completed=done,
                calls=f"{current.api_writes} writes, {current.failed} failed",
            )

        yield update


def work_inline(run: Run, *, progress: bool) -> Run:
    """Work the run inline, with a progress bar when a person is watching."""
    with progress_bar(progress) as update:
        executor = InlineExecutor(progress=update)
        executor.submit(run)
    assert executor.finished is not None
    return executor.finished


def resume_here(run: Run, *, progress: bool) -> Run:
    """Go on with an inline run in this process: an open one whose process is gone is taken
    over, a paused, stale, failed or cancelled one is opened again first."""
    owner = run_owner(run)
    if run.status in RUN_OPEN:
        if not take_over(run):
            fail(f"run {run.id} is still being worked by {owner.describe()}; nothing to resume")
    elif not resume_run(run.id, None):
        fail(f"run {run.id} is {run.status}: only paused, stale, failed or cancelled runs resume")
    else:
        # Batches its dead process still held are free at once, not when their lease ends.
        take_over(Run.get_by_id(run.id))
    return work_inline(Run.get_by_id(run.id), progress=progress)


def open_run_line(run: Run, profile: Profile) -> str:
    """The one line that says why a new export does not start, and what to do instead."""
    owner = run_owner(run)
    if run.status == "paused":
        return (
            f"run {run.id} of profile {profile.name} is paused ({run.pause_reason}): go on "
            f"with 'plentysync run resume {run.id}', stop it with 'plentysync run cancel "
            f"{run.id}', or start a second run with --beside-open-run"
        )
    what = f"run {run.id} of profile {profile.name} is still open"
    if owner.state == "gone":
        return (
            f"{what} and its {owner.describe()} is gone: continue it with "
            f"'plentysync run resume {run.id}', or start a second run with --beside-open-run"
        )
    if owner.state == "alive":
        return (
            f"{what}, worked by {owner.describe()}: wait for it ('plentysync run resume "
            f"{run.id}' takes it over if that process dies), or start a second run with "
            "--beside-open-run"
        )
    return (
        f"{what} on the workers: wait for it ('plentysync run list'), or start a second run "
        "with --beside-open-run"
    )


def interactive() -> bool:
    """A person at a terminal can answer a question."""
    return sys.stdin.isatty() and out.is_terminal


def before_new_export(profile: Profile, *, beside: bool, ask: bool) -> Run | None:
    """Decide what to do about an open run of the profile before a new export starts.

    Returns the run to resume instead (the person said so), or None to start the new run;
    refuses (exit 2) otherwise. Claims keep two runs from creating the same contact, so
    ``--beside-open-run`` is safe, only slower.
    """
    other = running_run(profile.id)
    if other is None:
        return None
    if beside:
        err.print(
            f"[yellow]note:[/] run {other.id} of this profile is still open; "
            "claims keep the two from creating the same contact twice"
        )
        return None
    line = open_run_line(other, profile)
    if ask and run_owner(other).state == "gone":
        err.print(f"[yellow]{line}[/]")
        if typer.confirm(f"Resume run {other.id} now?", default=True, err=True):
            return other
        raise typer.Exit(1)
    fail(line)
