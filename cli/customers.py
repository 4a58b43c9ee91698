"""``plentysync customer``: exporting customers and the configuration their mapping needs."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import typer

from cli._common import confirm_or_refuse, err, fail, open_db, out, print_json
from cli.customer_tools import print_dry_run, print_estimate
from cli.exit_status import INTERRUPTED, exit_status
from cli.inline_runs import before_new_export, interactive, progress_bar, resume_here
from cli.options import ClientOption, ProfileOption, SourceOption, chosen_profile
from core.clients import get_client
from core.config_data import OwnerKind, delete_config
from core.db.models import Client, Profile, Run
from core.db.models import MagentoSource as Source
from core.export import queue
from core.export.collect import collect_client, collect_source
from core.export.connections import open_magento, open_plenty
from core.export.runs import RunOptions, cancel_run
from core.export.service import check_store_id, refuse_in_blackout
from core.operations.history import COUNTS, customers_not_in_magento, run_view
from core.operations.logfile import set_verbosity
from core.sources import get_source
from worker.deployment import RunInterrupted, choose_deployment

app = typer.Typer(
    help="Export customers and collect the configuration they need.", no_args_is_help=True
)


def parse_ids(text: str) -> list[int]:
    """``1-1000,1500`` -> every id in the ranges and lists."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            fail(f"--entity-ids {text!r}: write ids and ranges such as 1-1000,1500")
        first, last = int(low), int(high or low)
        if last < first or last - first > 10_000_000:
            fail(f"--entity-ids: the range {part} is not usable")
        ids.update(range(first, last + 1))
    if not ids:
        fail("--entity-ids names no customer")
    return sorted(ids)


def run_summary(run: Run) -> dict[str, Any]:
    return run_view(run).summary()


def print_summary(run: Run) -> None:
    s = run_summary(run)
    out.print(
        f"run {s['run']} {s['status']}: {s['total']} customers; created {s['created']}, "
        f"updated {s['updated']}, unchanged {s['unchanged']}, skipped {s['skipped']}, "
        f"failed {s['failed']}, conflicts {s['conflicts']}; PlentyONE calls: "
        f"{s['api_calls']['read']} read, {s['api_calls']['write']} write"
        + (f"; {s['seconds']} s" if s["seconds"] is not None else "")
    )
    if run.error:
        err.print(f"[bold red]error:[/] {run.error}")
    if s.get("pause_reason"):
        err.print(
            f"[yellow]paused:[/] {s['pause_reason']}; go on with 'plentysync run resume "
            f"{run.id}' or stop with 'plentysync run cancel {run.id}'"
        )


@app.command("export")
def export(
    profile_id: ProfileOption = None,
    entity_ids: Annotated[str | None, typer.Option(help="Customer ids, e.g. 1-1000,1500")] = None,
    new_only: Annotated[bool, typer.Option(help="Only customers not exported yet.")] = False,
    store_id: Annotated[int | None, typer.Option(help="Only customers of this store.")] = None,
    force: Annotated[bool, typer.Option(help="Send every field again.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "-v",
            count=True,
            help="-v: one line per customer (action, contact id, reason); -vv: also each "
            "HTTP request, personal values masked; -vvv: also the SQL statements.",
        ),
    ] = 0,
    dry_run: Annotated[
        bool, typer.Option(help="Show the per-customer diff; send nothing.")
    ] = False,
    live: Annotated[bool, typer.Option(help="Dry run against PlentyONE now (reads).")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="At most this many customers, the first in id order (after --new-only); "
            "guest buyers are left out.",
        ),
    ] = None,
    estimate: Annotated[bool, typer.Option(help="Print the ETA of a full export.")] = False,
    ignore_blackout: Annotated[
        bool, typer.Option(help="Send even inside the client's blackout window.")
    ] = False,
    beside_open_run: Annotated[
        bool, typer.Option(help="Start even while a run of this profile is open.")
    ] = False,
    from_queue: Annotated[
        bool,
        typer.Option("--queue", help="Export the profile's due queued customers, here and now."),
    ] = False,
    mask: Annotated[
        bool, typer.Option(help="Dry run: mask personal values on screen (screen sharing).")
    ] = False,
) -> None:
    """Export customers of a profile to PlentyONE now, in this process.

    With Redis, or while 'plentysync serve' runs, the run is handed to them instead.

    While a run of the profile is open, a new one does not start: on a terminal it offers to
    resume that run if its process is gone; otherwise it names 'plentysync run resume N'.
    """
    open_db()
    set_verbosity(verbose)
    profile = chosen_profile(profile_id)
    options = RunOptions(
        entity_ids=parse_ids(entity_ids) if entity_ids else None,
        new_only=new_only,
        store_id=store_id,
        force=force,
        limit=limit,
        guests=limit is None,
    )
    check_store_id(profile, store_id)
    if from_queue:
        if entity_ids or new_only or store_id is not None or limit is not None:
            fail(
                "--queue exports the queued customers: give no --entity-ids, --new-only, "
                "--store-id or --limit with it"
            )
        if estimate or dry_run or live:
            fail("--queue does not go with --estimate, --dry-run or --live")
        if not queue.due_count(profile.id):
            out.print(f"no customer of profile {profile.name!r} is due in the queue")
            return
        options = queue.drain_options(profile).model_copy(update={"force": force})
    if estimate:
        return print_estimate(profile, json_=json_)
    if dry_run or live:
        return print_dry_run(profile, options, live=live, limit=limit, json_=json_, mask=mask)
    if not ignore_blackout:
        refuse_in_blackout(profile)
    ask = not json_ and interactive()
    waiting = before_new_export(profile, beside=beside_open_run, ask=ask)
    try:
        if waiting is not None:
            finished = resume_here(waiting, progress=True)
        else:
            finished = _start(profile, options, "queue" if from_queue else "manual", json_=json_)
    except RunInterrupted as stopped:
        _stop_interrupted(stopped.run_id)
    except KeyboardInterrupt:
        if waiting is None:  # before the run existed: nothing to stop
            raise
        _stop_interrupted(waiting.id)
    if json_:
        print_json(run_summary(finished))
    else:
        print_summary(finished)
    if options.entity_ids is not None:
        _note_missing(finished)
    raise typer.Exit(exit_status(finished))


def _start(profile: Profile, options: RunOptions, trigger: str, *, json_: bool) -> Run:
    """Start the run through the deployment; a run another process works ends the command."""
    deployment = choose_deployment()
    show = not json_ and out.is_terminal and deployment.executor() == "inline"
    with progress_bar(show) as update:
        started = deployment.start_run(profile, options, trigger=trigger, progress=update)
    if started.executor != "inline":
        where = {"workers": "the workers", "embedded": "this process's service"}
        who = where.get(started.executor, "'plentysync serve'")
        out.print(f"run {started.run_id} started; {who} works it (see 'plentysync run list')")
        raise typer.Exit(0)
    return Run.get_by_id(started.run_id)


def _note_missing(run: Run) -> None:
    """Name the --entity-ids that Magento lacks; they are skipped, not silently dropped."""
    missing = customers_not_in_magento(run.id)
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (", ..." if len(missing) > 20 else "")
        err.print(
            f"[yellow]note:[/] {len(missing)} of the customer ids named are not in Magento "
            f"(skipped): {shown}"
        )


def _stop_interrupted(run_id: int) -> NoReturn:
    """Ctrl-C: stop the run where it stands and say what was done and how to go on."""
    cancel_run(run_id)
    run = Run.get_by_id(run_id)
    done = sum(getattr(run, name) for name in COUNTS)
    so_far = ", ".join(f"{getattr(run, name)} {name}" for name in COUNTS)
    err.print(
        f"interrupted: run {run.id} stopped after {done} of {run.total} customers ({so_far}); "
        f"go on with 'plentysync run resume {run.id}'"
    )
    raise typer.Exit(INTERRUPTED)


def _owners(client_id: str | None, source_id: str | None) -> tuple[Client | None, Source | None]:
    if not client_id and not source_id:
        fail("give --client and/or --source")
    return (
        get_client(client_id) if client_id else None,
        get_source(source_id) if source_id else None,
    )


@app.command("collect-config")
def collect_config(
    client_id: ClientOption = None,
    source_id: SourceOption = None,
    force: Annotated[
        bool, typer.Option(help="Collect again (always done; kept for habit).")
    ] = False,
) -> None:
    """Fetch classes, referrers, languages, countries (PlentyONE) or groups and stores (Magento)."""
    open_db()
    client, source = _owners(client_id, source_id)
    if client is not None:
        with open_plenty(client) as plenty:
            counts = collect_client(client.id, plenty)
        out.print(f"client {client.name!r}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if source is not None:
        with open_magento(source) as magento:
            counts = collect_source(source.id, magento)
        out.print(f"source {source.name!r}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command("delete-config")
def delete_config_command(
    client_id: ClientOption = None,
    source_id: SourceOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Forget collected configuration; profiles cannot run until it is collected again."""
    open_db()
    client, source = _owners(client_id, source_id)
    named = " and ".join(
        f"{kind} {owner.name!r}"
        for kind, owner in (("client", client), ("source", source))
        if owner
    )
    confirm_or_refuse(
        f"Forget the collected configuration of {named}? Its profiles cannot run until it "
        "is collected again.",
        yes=yes,
    )
    owners: list[tuple[OwnerKind, Client | Source | None]] = [
        ("client", client),
        ("source", source),
    ]
    for kind, owner in owners:
        if owner is not None:
            removed = delete_config(kind, owner.id)
            out.print(f"{kind} {owner.name!r}: {removed} kinds removed")


@app.command("create-referrer")
def create_referrer(
    client_id: Annotated[str, typer.Option("--client", "--client-id", help="Client id or name.")],
    name: Annotated[str, typer.Option(help="e.g. 'Magento DE shop'")],
    parent_id: Annotated[int | None, typer.Option(help="Create a sub-referrer of this id.")] = None,
) -> None:
    """Create a referrer in PlentyONE and collect the client's configuration again.

    A referrer is set when a contact is created: PlentyONE keeps a contact's referrer, and
    plentysync does not change it for contacts that exist.
    """
    open_db()
    client = get_client(client_id)
    plenty = open_plenty(client)
    try:
        referrer = plenty.reference.create_referrer(name, parent_id=parent_id)
        collect_client(client.id, plenty)
    finally:
        plenty.close()
    out.print(
        f"referrer {referrer.id:g} {name!r} created; use it as store.referrer_id "
        "(new contacts get it; PlentyONE keeps the referrer of existing ones)"
    )


def _register_more() -> None:
    from cli import customer_queue, customer_tools

    customer_tools.register(app)
    customer_queue.register(app)


_register_more()
