"""``plentysync run``: list runs, cancel one, resume one that stopped or whose process died."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated

import typer

from cli._common import fail, open_db, out, print_json
from cli.customers import print_summary, run_summary
from cli.exit_status import exit_status
from cli.follow import follow_run
from cli.inline_runs import resume_here
from cli.options import ProfileFilter
from cli.tables import print_table
from core.db.models import Run
from core.export.owner import run_owner
from core.export.runs import RUN_STATUSES
from core.export.service import refuse_in_blackout
from core.services.runs import RunFilter, RunSummary, UnknownRun, cancel_run, list_runs
from worker.deployment import choose_deployment

app = typer.Typer(help="Export runs: list, cancel, resume.", no_args_is_help=True)


def _run(run_id: int) -> Run:
    run = Run.get_or_none(Run.id == run_id)
    if run is None:
        fail(f"no run {run_id} (see 'plentysync run list')")
    return run


RUN_COLUMNS = [
    ("run", "RUN"),
    ("created_at", "STARTED"),
    ("profile_name", "PROFILE"),
    ("trigger", "TRIGGER"),
    ("status", "STATUS"),
    ("total", "CUSTOMERS"),
    ("created", "CREATED"),
    ("updated", "UPDATED"),
    ("failed", "FAILED"),
    ("note", "NOTE"),
]


RunStatusFilter = Annotated[
    str | None,
    typer.Option(help=f"One of {', '.join(RUN_STATUSES)}, or 'error' for any trouble."),
]


@contextmanager
def known_run(where: str = "plentysync run list") -> Iterator[None]:
    """Inside, an unknown run id ends the command as a usage error saying where runs are listed."""
    try:
        yield
    except UnknownRun as exc:
        fail(f"{exc} (see '{where}')")


@app.command("list")
def list_(
    profile_id: ProfileFilter = None,
    status: RunStatusFilter = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The latest runs, newest first."""
    open_db()
    views = list_runs(RunFilter(profile=profile_id, status=status, limit=limit))
    if json_:
        print_json([{**v.summary(), "trigger": v.trigger, "owner": v.owner} for v in views])
        return
    print_run_table(views)


def print_run_table(views: list[RunSummary]) -> None:
    """Runs as a table; the note column holds the error or who works an open run."""
    rows = [
        {
            **asdict(v),
            "note": v.error or (v.pause_reason and f"paused: {v.pause_reason}") or v.owner,
        }
        for v in views
    ]
    print_table(rows, RUN_COLUMNS, empty="no runs")


@app.command("cancel")
def cancel(run_id: Annotated[int, typer.Argument(help="Run id.")]) -> None:
    """Stop an open or paused run: batches not started yet are not worked; the one in flight
    finishes."""
    open_db()
    with known_run():
        cancelled = cancel_run(run_id)
    out.print(f"run {cancelled.run} cancelled")


@app.command("resume")
def resume(
    run_id: Annotated[int, typer.Argument(help="Run id.")],
    ignore_blackout: Annotated[
        bool, typer.Option(help="Resume even inside the client's blackout window.")
    ] = False,
    json_: Annotated[
        bool, typer.Option("--json", help="Inline runs: the summary as JSON.")
    ] = False,
) -> None:
    """Go on with a run: a paused, stale, failed or cancelled one, or an inline one whose
    process died.

    A run started inline ('customer export') is worked here, in this process, to its end; a
    run of the workers gets its remaining batches sent to them.
    """
    open_db()
    run = _run(run_id)
    if not ignore_blackout:
        refuse_in_blackout(run.profile)
    if run_owner(run).state != "none":
        finished = resume_here(run, progress=not json_ and out.is_terminal)
        if json_:
            print_json(run_summary(finished))
        else:
            print_summary(finished)
        raise typer.Exit(exit_status(finished))
    executor = choose_deployment().resume_run(run.id)
    if executor is None:
        fail(f"run {run.id} is {run.status}: only paused, stale, failed or cancelled runs resume")
    where = "to the workers" if executor == "workers" else "for 'plentysync serve' to pick up"
    out.print(f"run {run.id} resumed; its open batches are sent {where}")


@app.command("follow")
def follow(
    run_id: Annotated[int, typer.Argument(help="Run id.")],
    json_: Annotated[bool, typer.Option("--json", help="Only the summary, as JSON.")] = False,
) -> None:
    """Follow a run until it ends, whoever works it (this host, a serve, the workers).

    Shows its counts, speed, ETAs and budget; ends with the run's summary and the exit
    status an export has. Ctrl-C stops following, not the run.
    """
    open_db()
    finished = follow_run(_run(run_id).id, show=not json_)
    if json_:
        print_json(run_summary(finished))
    else:
        print_summary(finished)
    raise typer.Exit(exit_status(finished))
