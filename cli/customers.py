"""``plentysync customer``: exporting customers and the configuration their mapping needs."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import typer

from cli import customer_queue, customer_tools
from cli._common import confirm_or_refuse, err, fail, open_db, out, print_json
from cli.customer_tools import print_dry_run, print_estimate
from cli.exit_status import INTERRUPTED, exit_status
from cli.follow import follow_run
from cli.inline_runs import before_new_export, interactive, progress_bar, resume_here
from cli.options import ClientOption, ProfileOption, SourceOption, chosen_profile, parse_ids
from core.db.models import Profile, Run
from core.export import queue
from core.export.runs import RunOptions, cancel_run
from core.export.service import check_store_id, refuse_in_blackout
from core.operations.history import COUNTS
from core.operations.logfile import set_verbosity
from core.services import configuration
from core.services.connections import show_client, show_source
from core.services.runs import RunSummary, run_detail
from core.services.runs import run_summary as summary_of
from worker.deployment import RunInterrupted, choose_deployment

app = typer.Typer(
    help="Export customers and collect the configuration they need.", no_args_is_help=True
)


def run_summary(run: Run) -> dict[str, Any]:
    """A run's figures as ``--json`` prints them."""
    return summary_of(run.id).summary()


def print_summary(run: Run) -> None:
    """One line of a run's figures, and its error on stderr."""
    print_run_summary(summary_of(run.id))


def print_run_summary(summary: RunSummary) -> None:
    """One line of a run's figures, and its error on stderr."""
    s = summary.summary()
    out.print(
        f"run {s['run']} {s['status']}: {s['total']} customers; created {s['created']}, "
        f"updated {s['updated']}, unchanged {s['unchanged']}, skipped {s['skipped']}, "
        f"failed {s['failed']}, conflicts {s['conflicts']}; PlentyONE calls: "
        f"{s['api_calls']['read']} read, {s['api_calls']['write']} write"
        + (f"; {s['seconds']} s" if s["seconds"] is not None else "")
    )
    if summary.error:
        err.print(f"[bold red]error:[/] {summary.error}")
    if summary.pause_reason:
        err.print(
            f"[yellow]paused:[/] {summary.pause_reason}; go on with 'plentysync run resume "
            f"{summary.run}' or stop with 'plentysync run cancel {summary.run}'"
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
    workers: Annotated[
        bool | None,
        typer.Option(
            "--workers/--inline",
            help="Hand the run to the workers (the default with Redis or a running "
            "'plentysync serve') and follow it, or work it in this process.",
        ),
    ] = None,
    detach: Annotated[
        bool,
        typer.Option(help="Hand the run over, print its id and return without following it."),
    ] = False,
) -> None:
    """Export customers of a profile to PlentyONE now.

    With Redis, or while 'plentysync serve' runs, the run is handed to them and followed
    here until it ends (Ctrl-C stops following, not the run); otherwise, or with --inline,
    it is worked in this process. Either way the command ends with the run's exit status.

    While a run of the profile is open, a new one does not start: on a terminal it offers to
    resume that run if its process is gone; otherwise it names 'plentysync run resume N'.
    """
    open_db()
    set_verbosity(verbose)
    profile = chosen_profile(profile_id)
    options = RunOptions(
        entity_ids=list(parse_ids(entity_ids).ids) if entity_ids else None,
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
            trigger = "queue" if from_queue else "manual"
            finished = _start(
                profile, options, trigger, json_=json_, workers=workers, detach=detach
            )
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


def _start(
    profile: Profile,
    options: RunOptions,
    trigger: str,
    *,
    json_: bool,
    workers: bool | None,
    detach: bool,
) -> Run:
    """Start the run through the deployment: worked here, or handed over and followed."""
    deployment = choose_deployment()
    executor = "inline" if workers is False else deployment.executor()
    if executor == "inline" and (workers or detach):
        fail(
            f"{'--detach' if detach else '--workers'}: nothing but this process would work "
            "the run; set PLENTYSYNC_REDIS_URL for the workers or start 'plentysync serve'"
        )
    if workers is False and deployment.serve_running():
        err.print(
            "[yellow]note:[/] 'plentysync serve' runs beside this inline export and paces its "
            "own exports in memory: together they may go above the budget, and PlentyONE's "
            "429 answers then slow both; leave --inline out to hand the run to the serve"
        )
    show = not json_ and out.is_terminal and executor == "inline"
    with progress_bar(show) as update:
        started = deployment.start_run(
            profile, options, trigger=trigger, progress=update, inline=executor == "inline"
        )
    if started.executor == "inline":
        return Run.get_by_id(started.run_id)
    if started.executor == "workers" and not deployment.live_workers():
        err.print(
            f"[yellow]note:[/] no 'plentysync worker' is alive; run {started.run_id} waits "
            "until one starts"
        )
    names = {"workers": "the workers", "embedded": "this process's service"}
    who = names.get(started.executor, "'plentysync serve'")
    works = "work" if started.executor == "workers" else "works"
    if detach:
        if json_:
            print_json({"run": started.run_id, "executor": started.executor})
        else:
            out.print(
                f"run {started.run_id} started; {who} {works} it "
                f"(follow it with 'plentysync run follow {started.run_id}')"
            )
        raise typer.Exit(0)
    if not json_:
        out.print(
            f"run {started.run_id} handed to {who}; following it "
            "(Ctrl-C stops following, not the run)"
        )
    return follow_run(started.run_id, show=not json_)


def _note_missing(run: Run) -> None:
    """Name the --entity-ids that Magento lacks; they are skipped, not silently dropped."""
    missing = run_detail(run.id, limit=0).not_in_magento
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (", ..." if len(missing) > 20 else "")
        err.print(
            f"[yellow]note:[/] {len(missing)} of the customer ids named are not in Magento "
            f"(skipped): {shown}"
        )


def _stop_interrupted(run_id: int) -> NoReturn:
    """Ctrl-C: stop the run where it stands and say what was done and how to go on."""
    cancel_run(run_id)
    run = summary_of(run_id)
    so_far = ", ".join(f"{getattr(run, name)} {name}" for name in COUNTS)
    where = (
        "while it listed the customers, before any was exported"
        if run.total == 0 and run.done == 0
        else f"after {run.done} of {run.total} customers ({so_far})"
    )
    err.print(
        f"interrupted: run {run.run} stopped {where}; go on with 'plentysync run resume {run.run}'"
    )
    raise typer.Exit(INTERRUPTED)


def _owners_named(client_id: str | None, source_id: str | None) -> None:
    if not client_id and not source_id:
        fail("give --client and/or --source")


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
    _owners_named(client_id, source_id)
    if client_id:
        show_client(client_id)  # both are looked up before either is collected
    if source_id:
        show_source(source_id)
    for owner in ({"client": client_id}, {"source": source_id}):
        if any(owner.values()):
            for found in configuration.collect_config(**owner):
                counts = ", ".join(f"{v} {k}" for k, v in found.counts.items())
                out.print(f"{found.kind} {found.name!r}: {counts}")


@app.command("delete-config")
def delete_config_command(
    client_id: ClientOption = None,
    source_id: SourceOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Forget collected configuration; profiles cannot run until it is collected again."""
    open_db()
    _owners_named(client_id, source_id)
    client = show_client(client_id) if client_id else None
    source = show_source(source_id) if source_id else None
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
    for gone in configuration.forget_config(client_id, source_id):
        out.print(f"{gone.kind} {gone.name!r}: {gone.kinds} kinds removed")


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
    referrer = configuration.create_referrer(client_id, name, parent_id)
    out.print(
        f"referrer {referrer.id:g} {name!r} created; use it as store.referrer_id "
        "(new contacts get it; PlentyONE keeps the referrer of existing ones)"
    )


customer_tools.register(app)
customer_queue.register(app)
