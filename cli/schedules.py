"""``plentysync schedule``: cron schedules that profiles run on."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from cli._common import open_db, out, print_json
from cli.tables import print_table
from core.db.models import Schedule
from core.schedules import create_schedule, cron_trigger, get_schedule, profiles_using
from core.schedules import remove_schedule as remove_schedule_row

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
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = []
    for schedule in Schedule.select().order_by(Schedule.id):
        due = cron_trigger(schedule.cron, schedule.timezone).get_next_fire_time(None, now)
        rows.append(
            {
                "id": schedule.id,
                "name": schedule.name,
                "cron": schedule.cron,
                "timezone": schedule.timezone,
                "next_due": due.isoformat() if due else None,
                "profiles": profiles_using(schedule),
            }
        )
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
    schedule = get_schedule(schedule_ref)
    remove_schedule_row(schedule)
    out.print(f"schedule {schedule.name!r} removed")
