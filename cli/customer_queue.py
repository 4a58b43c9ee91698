"""``plentysync customer queue``: look at and change a profile's export queue."""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import err, fail, open_db, out, print_json
from core.export import queue
from core.profiles.service import get_profile


def customer_queue(
    profile_id: Annotated[str, typer.Option("--profile-id", help="Profile id or name.")],
    list_: Annotated[bool, typer.Option("--list", help="Show the queued customers.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="With attempts and errors.")] = False,
    add: Annotated[bool, typer.Option("--add", help="Queue --entity-ids.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Unqueue --entity-ids.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Empty the queue (asks first).")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="Counts per status.")] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Make failed items pending again.")
    ] = False,
    entity_ids: Annotated[
        str | None, typer.Option("--entity-ids", "--entity-id", help="e.g. 1-100,250")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --clear.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Rows shown by --list.")] = 100,
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show or change the customers queued for a profile's next drain."""
    from cli.customers import parse_ids

    chosen = [
        n
        for n, on in (
            ("list", list_),
            ("add", add),
            ("remove", remove),
            ("clear", clear),
            ("stats", stats),
            ("retry-failed", retry_failed),
        )
        if on
    ]
    if len(chosen) != 1:
        fail("give exactly one of --list, --add, --remove, --clear, --stats, --retry-failed")
    open_db()
    profile = get_profile(profile_id)
    if add or remove:
        if not entity_ids:
            fail(f"--{chosen[0]} needs --entity-ids")
        keys = [str(i) for i in parse_ids(entity_ids)]
        if add:
            new = queue.enqueue(profile.id, keys)
            out.print(f"{len(keys)} customers queued ({new} new, {len(keys) - new} updated)")
        else:
            out.print(f"{queue.remove(profile.id, keys)} customers removed from the queue")
    elif clear:
        total = queue.stats(profile.id).total
        if not yes and not typer.confirm(f"drop all {total} queued customers of {profile.name}?"):
            err.print("nothing removed")
            raise typer.Exit(1)
        out.print(f"{queue.clear(profile.id)} customers removed from the queue")
    elif retry_failed:
        out.print(f"{queue.retry_failed(profile.id)} failed customers are pending again")
    elif stats:
        found = queue.stats(profile.id)
        if json_:
            print_json({**found.by_status, "due": found.due, "total": found.total})
        else:
            counts = ", ".join(f"{n} {s}" for s, n in found.by_status.items())
            out.print(f"{found.total} queued: {counts}; {found.due} due now")
    else:
        _print_items(profile.id, verbose=verbose, limit=limit, as_json=json_)


def _print_items(profile_id: int, *, verbose: bool, limit: int, as_json: bool) -> None:
    rows = [
        {
            "entity_type": item.entity_type,
            "entity_id": item.entity_key,
            "status": item.status,
            "version": item.version,
            "attempts": item.attempts,
            "next_attempt_at": item.next_attempt_at,
            "error": item.last_error_message or None,
        }
        for item in queue.items(profile_id, limit=limit)
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        line = f"{row['entity_type']} {row['entity_id']:>8}  {row['status']}"
        if verbose:
            due = f"{row['next_attempt_at']:%Y-%m-%d %H:%M:%S}"
            line += f"  v{row['version']} attempts {row['attempts']} next {due}"
            line += f"  {row['error']}" if row["error"] else ""
        out.print(line)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``customer`` command group."""
    app.command("queue")(customer_queue)
