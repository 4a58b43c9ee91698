"""``plentysync status``: is the service healthy? Exit code 1 when not (for monitoring)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import open_db, out, print_json
from core.services.status import CurrentRun, Status, typed_status
from worker.deployment import choose_deployment
from worker.watchdog import current_status, watch_over

UNHEALTHY_EXIT = 1


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _run_line(run: CurrentRun | None) -> str:
    if run is None:
        return "no open run"
    batches = f"{run.batches_done}/{run.batches} batches"
    if not run.enumerated:
        batches += " (still enumerating)"
    line = f"run {run.id} {run.status} ({run.trigger}): {batches}, " + (
        f"{run.customers_done} customers done"
    )
    if run.cap_days is not None and run.cap_days >= 0.1:  # a load across days, or most of one
        line += f", ≈ {run.cap_days:.1f} days at the daily write cap"
    if run.pause_reason:
        line += f"; paused: {run.pause_reason}"
    return line


def _print(status: Status) -> None:
    out.print(
        f"{'[green]healthy[/]' if status.healthy else '[bold red]UNHEALTHY[/]'}  "
        f"mode {status.mode}, data {status.data_directory}, database {status.database}"
    )
    workers = ", ".join(status.workers) if status.workers else "none"
    out.print(f"live workers: {workers}")
    for budget in status.budgets:
        out.print(
            f"budget left {budget.client}: read {budget.read_per_minute}/min "
            f"{budget.read_per_day}/day, write {budget.write_per_minute}/min "
            f"{budget.write_per_day}/day"
        )
    for row in status.profiles:
        flags = " paused" if row.paused else ""
        flags += "" if row.scheduled else " unscheduled"
        success = f"{row.last_success:%Y-%m-%d %H:%M}" if row.last_success else "never"
        out.print(f"profile {row.id} {row.name}{flags}: last success {success} UTC")
        out.print(f"  {_run_line(row.current_run)}")
        out.print(
            f"  queue {row.queue_depth} pending, oldest due {_age(row.oldest_pending_age_s)}"
            f", {row.failed_items} failed"
            + (f"; stale runs: {', '.join(map(str, row.stale_runs))}" if row.stale_runs else "")
        )
    for problem in status.problems:
        out.print(f"[bold red]problem:[/] {problem.message}")


def status(
    json_: Annotated[bool, typer.Option("--json")] = False,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Also apply the history retention and mail new incidents "
            "(for cron when no scheduler runs).",
        ),
    ] = False,
) -> None:
    """Per profile: last success, current run, queue, stale runs; budgets and workers.

    Exits 1 when unhealthy: a stale run, a queue item due longer than
    PLENTYSYNC_HEALTH_OLDEST_PENDING_S, or work waiting without a live worker.
    """
    open_db()
    deployment = choose_deployment()
    if notify:
        for incident in watch_over(deployment):
            out.print(f"mailed: {incident.subject}")
    current = typed_status(current_status(deployment))
    if json_:
        print_json(current.to_dict())
    else:
        _print(current)
    if not current.healthy:
        raise typer.Exit(UNHEALTHY_EXIT)
