"""``plentysync schedule``: cron schedules that profiles run on."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer

from cli._common import open_db, out, print_json
from cli.tables import print_table
from core.services.schedules import create_schedule, list_schedules, remove_schedule

app = typer.Typer(help="Cron schedules with explicit time zones.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Option()],
    cron: Annotated[str, typer.Option(help="Five fields, e.g. '*/15 * * * *'.")],
    timezone: Annotated[str, typer.Option(help="IANA zone, e.g. Europe/Berlin.")] = "UTC",
) -> None:
    """Add a schedule."""
    open_db()
    schedule = create_schedule(name=name, cron=cron, timezone=timezone)
    out.print(f"schedule {schedule.id} {schedule.name!r} added")


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List schedules with their next due time."""
    open_db()
    rows: list[dict[str, Any]] = [
        {
            **asdict(view),
            "next_due": view.next_due.isoformat() if view.next_due else None,
            "profiles": list(view.profiles),
        }
        for view in list_schedules()
    ]
    if json_:
        print_json(rows)
        return
    columns = [
        ("id", "ID"),
        ("name", "NAME"),
        ("cron", "CRON"),
        ("timezone", "TIME ZONE"),
        ("next_due", "NEXT DUE"),
        ("profiles", "PROFILES"),
    ]
    print_table(rows, columns, empty="no schedules yet: 'plentysync schedule add'")


@app.command("remove")
def remove(schedule_ref: Annotated[str, typer.Argument(help="Schedule id or name.")]) -> None:
    """Remove a schedule that no profile uses."""
    open_db()
    schedule = remove_schedule(schedule_ref)
    out.print(f"schedule {schedule.name!r} removed")
