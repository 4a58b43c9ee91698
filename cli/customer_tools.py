"""Commands of the ``customer`` group added by the operator tools.

Thin wrappers over ``core.tools``: dry run and estimate (options of ``customer export``),
validate, test-connection, check-mapping, link, unlink, conflicts, replace and forget.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cli._common import err, open_db, out, print_json
from cli.options import ProfileOption, chosen_profile
from cli.tables import print_table
from core.db.models import Profile
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import open_deps, refuse_in_blackout
from core.services import customers
from core.tools.connection import SCAN_PAGES, check_connection
from core.tools.dryrun import DryRunReport, dry_run
from core.tools.estimate import estimate_export
from core.tools.forget import forget_customer
from core.tools.link_tools import check_mapping
from core.tools.replace import BACKUP_RETENTION_DAYS, plan_replace, replace_contacts
from core.tools.session import tool_deps
from core.tools.validate import LINT_SAMPLE, validate_profile
from worker import shared_backends

ProfileId = ProfileOption
CustomerId = Annotated[int, typer.Option("--customer-id", help="Magento customer id.")]
ContactId = Annotated[int, typer.Option("--contact-id", help="PlentyONE contact id.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]

STATUS_STYLE = {"ok": "green", "warning": "yellow", "failed": "bold red"}


def screen_mask(mask: bool) -> bool:
    """Whether live values are masked: always with --mask, and whenever output is not a terminal.

    Real values go to the operator's own terminal only; piped or redirected into a file they
    stay masked, as in the logs.
    """
    return mask or not out.is_terminal


def print_dry_run(
    profile: Profile,
    options: RunOptions,
    *,
    live: bool,
    limit: int | None,
    json_: bool,
    mask: bool = False,
) -> None:
    """``customer export --dry-run``: the per-customer diff; nothing is written."""
    report = dry_run(
        profile,
        options,
        live=live,
        limit=limit,
        mask=screen_mask(mask),
        backends=shared_backends(),
    )
    if json_:
        print_json(report.to_json())
        return
    _print_report(report)


def _print_report(report: DryRunReport) -> None:
    for item in report.items:
        parts = []
        if item.fields:
            parts.append("fields: " + ", ".join(item.fields))
        if item.addresses:
            parts.append("addresses: " + ", ".join(item.addresses))
        if item.account:
            parts.append(f"account: {item.account}")
        for name, values in item.live.items():
            parts.append(f"{name}: PlentyONE {values['plenty']!r} / ours {values['ours']!r}")
        if item.reason:
            parts.append(item.reason)
        contact = f" -> {item.contact_id}" if item.contact_id else ""
        # Values are the customer's own text: never read as rich markup.
        out.print(f"{item.key:>8}{contact}  {item.action:<9} " + "; ".join(parts), markup=False)
    counts = ", ".join(f"{n} {action}" for action, n in report.counts().items())
    mode = "live" if report.live else "against what was last sent"
    out.print(f"dry run ({mode}), nothing was sent: {counts}; {report.writes()} writes planned")
    if report.not_looked_at:
        out.print(f"{report.not_looked_at} more customers not looked at (cap; use --limit)")


def print_estimate(profile: Profile, *, json_: bool) -> None:
    """``customer export --estimate``: the ETA of a full export; nothing is sent."""
    with tool_deps(profile, read_only=True, backends=shared_backends()) as deps:
        customers = sum(len(page) for page in deps.magento.customers.iter_ids())
    estimate = estimate_export(profile, customers)
    if json_:
        print_json(estimate.to_json())
    else:
        out.print(estimate.describe())


def validate(
    profile_id: ProfileId = None,
    sample: Annotated[int, typer.Option(help="Customers read for the mapping lint.")] = LINT_SAMPLE,
    json_: Json = False,
) -> None:
    """Check that the profile can run, lint its mappings against real customers, show the ETA."""
    open_db()
    report = validate_profile(chosen_profile(profile_id), sample=sample, backends=shared_backends())
    if json_:
        print_json(report.to_json())
    else:
        for problem in report.problems:
            err.print(f"[bold red]problem:[/] {problem}")
        for finding in report.findings:
            out.print(f"[yellow]{finding.kind}:[/] {finding.message}")
        out.print(f"mapping lint: {report.scanned} customers read, {len(report.findings)} findings")
        if report.estimate is not None:
            out.print(f"estimate: {report.estimate.describe()}")
        out.print("runnable" if report.ok else "[bold red]not runnable[/]")
    if not report.ok:
        raise typer.Exit(1)


def test_connection(
    profile_id: ProfileId = None,
    scan_pages: Annotated[
        int, typer.Option(help="Contact pages (250 each) read for unknown contacts.")
    ] = SCAN_PAGES,
    json_: Json = False,
) -> None:
    """Reach both systems, check credentials, rights, the identity filter and unknown contacts."""
    open_db()
    report = check_connection(
        chosen_profile(profile_id), scan_pages=scan_pages, backends=shared_backends()
    )
    if json_:
        print_json(report.to_json())
    else:
        for check in report.checks:
            style = STATUS_STYLE[check.status]
            out.print(f"[{style}]{check.status:>7}[/]  {check.name}: {check.message}")
    if not report.ok:
        raise typer.Exit(1)


def check_mapping_command(
    customer_id: CustomerId,
    profile_id: ProfileId = None,
    live: Annotated[bool, typer.Option(help="Compare with the contact in PlentyONE now.")] = False,
    mask: Annotated[
        bool, typer.Option(help="--live: mask personal values on screen (screen sharing).")
    ] = False,
    json_: Json = False,
) -> None:
    """Show a customer's link, its last export and what the next export would send."""
    open_db()
    profile = chosen_profile(profile_id)
    report = check_mapping(
        profile, customer_id, live=live, mask=screen_mask(mask), backends=shared_backends()
    )
    if json_:
        print_json(report.to_json())
        return
    out.print(f"customer {customer_id} ({report.identity})")
    if report.link is None:
        out.print("  link: none")
    else:
        link = report.link
        out.print(
            f"  link: {link['state']}, contact {link['contact_id']}, account "
            f"{link['account_id']}, last written {link['updated_at']:%Y-%m-%d %H:%M} UTC"
        )
        for a in report.addresses:
            primary = ", primary" if a["primary"] else ""
            out.print(f"  address {a['key']} type {a['type_id']} -> {a['address_id']}{primary}")
    if report.last_export:
        last = report.last_export
        out.print(
            f"  last export: run {last['run']} {last['action']} at {last['at']}"
            + (f": {last['message']}" if last["message"] else "")
        )
    if report.preview is not None:
        _print_report(DryRunReport(profile.name, live, [report.preview]))


def link(customer_id: CustomerId, contact_id: ContactId, profile_id: ProfileId = None) -> None:
    """Link a customer to a PlentyONE contact you chose; the next export sends every field."""
    open_db()
    profile = chosen_profile(profile_id)
    out.print(
        customers.link_to_contact(profile.id, customer_id, contact_id, backends=shared_backends())
    )


def unlink(
    customer_id: CustomerId,
    profile_id: ProfileId = None,
    keep_identity: Annotated[
        bool, typer.Option(help="Leave our identity on the contact (it is found again).")
    ] = False,
) -> None:
    """Drop a customer's link; by default also take our identity off the contact."""
    open_db()
    profile = chosen_profile(profile_id)
    done = customers.unlink(
        profile.id, customer_id, clear_identity=not keep_identity, backends=shared_backends()
    )
    out.print(done)


conflicts = typer.Typer(help="Customers matching several contacts: list them, choose one.")


@conflicts.command("list")
def conflicts_list(profile_id: ProfileId = None, json_: Json = False) -> None:
    """Customers whose last export found several matching contacts and are still unlinked."""
    open_db()
    entries = customers.customer_conflicts(chosen_profile(profile_id).id)
    if json_:
        print_json([asdict(e) for e in entries])
        return
    columns = [("customer_id", "CUSTOMER"), ("run", "RUN"), ("message", "MESSAGE")]
    print_table([asdict(e) for e in entries], columns, empty="0 conflicts")


@conflicts.command("resolve")
def conflicts_resolve(
    customer_id: CustomerId, contact_id: ContactId, profile_id: ProfileId = None
) -> None:
    """Choose the contact of a customer among those that match it."""
    open_db()
    profile = chosen_profile(profile_id)
    out.print(
        customers.resolve_customer_conflict(
            profile.id, customer_id, contact_id, backends=shared_backends()
        )
    )


def replace(
    profile_id: ProfileId = None,
    confirm: Annotated[
        int | None, typer.Option(help="The number of contacts shown; required to delete.")
    ] = None,
    keep_days: Annotated[
        int, typer.Option(help="Days a backup is kept.", min=1)
    ] = BACKUP_RETENTION_DAYS,
    json_: Json = False,
    ignore_blackout: Annotated[
        bool, typer.Option(help="Delete and export even inside the client's blackout window.")
    ] = False,
) -> None:
    """Delete the contacts plentysync owns for this profile, then export afresh (one-shot)."""
    open_db()
    profile = chosen_profile(profile_id)
    backends = shared_backends()
    if confirm is not None and not ignore_blackout:
        refuse_in_blackout(profile)
    if confirm is None:
        plan = plan_replace(profile, backends=backends)
        if json_:
            print_json({"would_delete": plan.count, "kept": plan.kept, "left_out": plan.left_out})
            return
        out.print(
            f"{plan.count} contacts of this profile's stores, owned by plentysync, would be "
            "deleted (PlentyONE keeps those with orders), backed up first, then exported again."
        )
        for reason, n in plan.kept.items():
            out.print(f"  kept: {n} {reason}")
        for reason, n in plan.left_out.items():
            out.print(f"  left out: {n} {reason}")
        out.print(f"run again with --confirm {plan.count} to do it")
        return
    executor = InlineExecutor(lambda run: open_deps(run, backends=backends))
    result = replace_contacts(
        profile, confirm, executor=executor, retention_days=keep_days, backends=backends
    )
    summary = {
        "deleted": result.deleted,
        "kept_with_orders": result.kept_with_orders,
        "failed": result.failed,
        "backup": str(result.backup),
        "run": result.run.id if result.run else None,
        "run_status": result.run.status if result.run else None,
        "left_out": result.left_out,
    }
    if json_:
        print_json(summary)
    else:
        out.print(f"backup: {result.backup}")
        out.print(f"deleted {result.deleted} contacts")
        for reason, n in result.left_out.items():
            out.print(f"left out: {n} {reason}")
        if result.kept_with_orders:
            ids = ", ".join(map(str, result.kept_with_orders))
            out.print(f"kept (PlentyONE reports orders): {ids}")
        for contact_id, message in result.failed.items():
            err.print(f"[bold red]not deleted:[/] {contact_id}: {message}")
        if result.run is not None:
            run = result.run
            out.print(
                f"re-export run {run.id} {run.status}: created {run.created}, "
                f"updated {run.updated}, failed {run.failed}"
            )
    if result.failed or (result.run is not None and result.run.status != "done"):
        raise typer.Exit(1)


def forget(customer_id: CustomerId, profile_id: ProfileId = None, json_: Json = False) -> None:
    """Erase what plentysync holds about one customer (links, run items, log lines)."""
    open_db()
    result = forget_customer(chosen_profile(profile_id), customer_id)
    if json_:
        print_json(result.to_json())
    else:
        out.print(result.describe())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``customer`` command group."""
    app.command("validate")(validate)
    app.command("test-connection")(test_connection)
    app.command("check-mapping")(check_mapping_command)
    app.command("link")(link)
    app.command("unlink")(unlink)
    app.add_typer(conflicts, name="conflicts")
    app.command("replace")(replace)
    app.command("forget")(forget)
