"""``plentysync customer queue``: look at and change a profile's export queue.

``list``, ``stats``, ``add``, ``remove``, ``clear`` and ``retry-failed`` are subcommands. The
older flags (``customer queue --list``, ``--add`` ...) still work for this release and say so.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cli._common import confirm_or_refuse, err, fail, open_db, out, print_json
from cli.options import ProfileOption, chosen_ref, parse_ids
from cli.tables import print_table
from core.export import queue
from core.services.profiles import show_profile
from core.services.queue import (
    add_to_queue,
    clear_queue,
    queue_items,
    queue_stats,
    remove_from_queue,
)
from core.services.queue import retry_failed as retry_failed_items

app = typer.Typer(
    help="The customers queued for a profile's next drain: list, add, remove, retry.",
    invoke_without_command=True,
)

EntityIdsOption = Annotated[str, typer.Option("--entity-ids", "--entity-id", help="e.g. 1-100,250")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Verbose = Annotated[bool, typer.Option("--verbose", help="With attempts and errors.")]
Limit = Annotated[int, typer.Option(min=1, help="Rows shown.")]
Yes = Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")]


def _profile(ref: str | None) -> str:
    """The profile named by the option or ``PLENTYSYNC_PROFILE``, with the database open."""
    open_db()
    return chosen_ref(ref)


@app.command("list")
def list_(
    profile_id: ProfileOption = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status: " + ", ".join(queue.STATUSES))
    ] = None,
    verbose: Verbose = False,
    limit: Limit = 100,
    json_: Json = False,
) -> None:
    """The queued customers, oldest first."""
    if status is not None and status not in queue.STATUSES:
        fail(f"--status {status!r}: use one of {', '.join(queue.STATUSES)}")
    profile = _profile(profile_id)
    entries = queue_items(profile, status=status, limit=limit)
    if json_:
        print_json([asdict(e) for e in entries])
        return
    columns = [("entity_type", "TYPE"), ("entity_id", "ID"), ("status", "STATUS")]
    if verbose:
        columns += [
            ("version", "VERSION"),
            ("attempts", "ATTEMPTS"),
            ("next_attempt_at", "NEXT TRY (UTC)"),
            ("error_class", "ERROR CLASS"),
            ("error", "ERROR"),
        ]
    print_table(
        [asdict(e) for e in entries],
        columns,
        empty=f"the queue of {show_profile(profile).summary.name} is empty",
    )


@app.command("stats")
def stats(profile_id: ProfileOption = None, json_: Json = False) -> None:
    """How many customers are queued per status, and how many are due now."""
    found = queue_stats(_profile(profile_id))
    if json_:
        print_json({**found.by_status, "due": found.due, "total": found.total})
        return
    counts = ", ".join(f"{n} {s}" for s, n in found.by_status.items())
    out.print(f"{found.total} queued: {counts}; {found.due} due now")


@app.command("add")
def add(entity_ids: EntityIdsOption, profile_id: ProfileOption = None) -> None:
    """Queue customers for the next drain (one already queued gets a new version)."""
    queued = add_to_queue(_profile(profile_id), parse_ids(entity_ids))
    out.print(f"{queued.named} customers queued ({queued.new} new, {queued.updated} updated)")


@app.command("remove")
def remove(entity_ids: EntityIdsOption, profile_id: ProfileOption = None) -> None:
    """Take customers off the queue, whatever their status."""
    removed = remove_from_queue(_profile(profile_id), parse_ids(entity_ids))
    out.print(f"{removed} customers removed from the queue")


@app.command("clear")
def clear(profile_id: ProfileOption = None, yes: Yes = False) -> None:
    """Empty the profile's queue (asks first)."""
    profile = _profile(profile_id)
    total = queue_stats(profile).total
    name = show_profile(profile).summary.name
    confirm_or_refuse(f"Drop all {total} queued customers of {name}?", yes=yes)
    out.print(f"{clear_queue(profile)} customers removed from the queue")


@app.command("retry-failed")
def retry_failed(
    profile_id: ProfileOption = None,
    entity_ids: Annotated[
        str | None, typer.Option("--ids", "--entity-ids", help="Only these, e.g. 1-100,250")
    ] = None,
    error_class: Annotated[
        str | None, typer.Option(help="Only items that failed with this class: failed, conflict")
    ] = None,
) -> None:
    """Make failed customers pending again: all, or --ids, or those of one --error-class."""
    profile = _profile(profile_id)
    keys = parse_ids(entity_ids, "--ids") if entity_ids else None
    retried = retry_failed_items(profile, keys, error_class=error_class)
    out.print(f"{retried} failed customers are pending again")


@app.callback()
def legacy_flags(
    ctx: typer.Context,
    profile_id: Annotated[
        str | None, typer.Option("--profile", "--profile-id", hidden=True)
    ] = None,
    list_flag: Annotated[bool, typer.Option("--list", hidden=True)] = False,
    verbose: Annotated[bool, typer.Option("--verbose", hidden=True)] = False,
    add_flag: Annotated[bool, typer.Option("--add", hidden=True)] = False,
    remove_flag: Annotated[bool, typer.Option("--remove", hidden=True)] = False,
    clear_flag: Annotated[bool, typer.Option("--clear", hidden=True)] = False,
    stats_flag: Annotated[bool, typer.Option("--stats", hidden=True)] = False,
    retry_flag: Annotated[bool, typer.Option("--retry-failed", hidden=True)] = False,
    entity_ids: Annotated[
        str | None, typer.Option("--entity-ids", "--entity-id", hidden=True)
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", hidden=True)] = False,
    limit: Annotated[int, typer.Option(min=1, hidden=True)] = 100,
    json_: Annotated[bool, typer.Option("--json", hidden=True)] = False,
) -> None:
    """The customers queued for a profile's next drain (see the subcommands)."""
    if ctx.invoked_subcommand is not None:
        return
    flags = {
        "list": list_flag,
        "add": add_flag,
        "remove": remove_flag,
        "clear": clear_flag,
        "stats": stats_flag,
        "retry-failed": retry_flag,
    }
    chosen = [name for name, on in flags.items() if on]
    if not chosen:
        out.print(ctx.get_help())
        raise typer.Exit(0)
    if len(chosen) != 1:
        fail("give one subcommand: list, add, remove, clear, stats or retry-failed")
    name = chosen[0]
    err.print(
        f"[yellow]deprecated:[/] 'customer queue --{name}' is now "
        f"'customer queue {name}'; the flags go in the next release"
    )
    if name in ("add", "remove") and not entity_ids:
        fail(f"--{name} needs --entity-ids")
    if name == "list":
        list_(profile_id, None, verbose, limit, json_)
    elif name == "add":
        add(entity_ids or "", profile_id)
    elif name == "remove":
        remove(entity_ids or "", profile_id)
    elif name == "clear":
        clear(profile_id, yes)
    elif name == "stats":
        stats(profile_id, json_)
    else:
        retry_failed(profile_id, entity_ids, None)


def register(group: typer.Typer) -> None:
    """Add the ``queue`` commands to the ``customer`` command group."""
    group.add_typer(app, name="queue")
