"""``plentysync history``: what ran, what each run did to each customer, and clean-up."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cli._common import confirm_or_refuse, open_db, out, print_json
from cli.customers import print_run_summary
from cli.options import ProfileFilter
from cli.runs import RunStatusFilter, known_run, print_run_table
from core.services.runs import RunFilter, clear_history, list_runs, run_detail

app = typer.Typer(
    help="Run history: list runs, show one run's customers, clear old runs.",
    invoke_without_command=True,
)


@app.callback()
def history(
    ctx: typer.Context,
    profile_id: ProfileFilter = None,
    status: RunStatusFilter = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The latest runs, newest first (with a subcommand: see 'history show' and 'history clear')."""
    if ctx.invoked_subcommand is not None:
        return
    open_db()
    views = list_runs(RunFilter(profile=profile_id, status=status, limit=limit))
    if json_:
        print_json(
            [{**v.summary(), "trigger": v.trigger, "created_at": v.created_at} for v in views]
        )
        return
    print_run_table(views)


@app.command("show")
def show(
    run_id: Annotated[int, typer.Argument(help="Run id.")],
    limit: Annotated[int, typer.Option(min=1, help="At most this many customers.")] = 200,
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One run's summary, its peak memory, and each customer: action, contact, time, reason."""
    open_db()
    with known_run("plentysync history"):
        detail = run_detail(run_id, limit=limit)
    rows = [asdict(item) for item in detail.items]
    if json_:
        print_json(
            {**detail.summary.summary(), "peak_memory_kb": detail.peak_memory_kb, "items": rows}
        )
        return
    print_run_summary(detail.summary)
    if detail.peak_memory_kb:
        out.print(f"peak memory: {detail.peak_memory_kb / 1024:.1f} MiB")
    if not rows:
        out.print("no customer results kept (the profile keeps no history, or none ran)")
    for row in rows:
        contact = f"  contact {row['contact_id']}" if row["contact_id"] else ""
        took = f"  {row['seconds']:.2f} s" if row["seconds"] is not None else ""
        reason = f"  {row['reason']}" if row["reason"] else ""
        out.print(f"  {row['entity']:<24} {row['action']:<10}{contact}{took}{reason}", markup=False)


@app.command("clear")
def clear(
    older_than: Annotated[
        int, typer.Option("--older-than", min=0, help="Days; 0 removes every finished run.")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --older-than 0.")] = False,
) -> None:
    """Remove finished runs older than the given number of days (open runs stay)."""
    import datetime as dt

    open_db()
    if older_than == 0:
        confirm_or_refuse("Remove the history of every finished run of every profile?", yes=yes)
    cleared = clear_history(dt.timedelta(days=older_than))
    out.print(f"removed {cleared.runs} runs with {cleared.items} customer results")
