"""``plentysync profile``: customer export profiles."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from cli import profile_ops
from cli._common import err, fail, open_db, out, parse_assignments, print_json
from cli.readable import settings_lines
from cli.tables import print_table
from core.files import write_private_text
from core.profiles.service import get_profile
from core.services.profiles import (
    ProfileDetail,
    create_profile,
    edit_profile,
    import_profile,
    list_profiles,
    remove_profile,
    show_profile,
)

app = typer.Typer(help="Customer export profiles.", no_args_is_help=True)

Assignments = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="section.field=value, repeatable; JSON values for lists, "
        "e.g. --set schedule.process_batch_size=50 "
        '--set \'customer.group_mapping=[{"magento_group_id":1,"plenty_class_id":1}]\'. '
        "store.referrer_id and store.website_referrers are given to new contacts only: "
        "PlentyONE keeps a contact's referrer, and existing contacts are not changed.",
    ),
]


def _changes(assignments: list[str] | None) -> dict[str, Any]:
    return dict(parse_assignments(assignments or []))


def _print_notices(notices: Iterable[str]) -> None:
    for notice in notices:
        err.print(f"[yellow]notice:[/] {notice}")


def _load_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{path}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not JSON ({exc.msg} at line {exc.lineno})")
    if not isinstance(data, dict):
        fail(f"{path}: expected a JSON object")
    return data


@app.command("create")
def create(
    name: Annotated[str, typer.Option()],
    client: Annotated[str, typer.Option("--client", "--client-id", help="Client id or name.")],
    source: Annotated[
        str, typer.Option("--source", "--source-id", help="Magento source id or name.")
    ],
    settings_file: Annotated[
        Path | None, typer.Option("--settings-file", help="JSON settings document to start from.")
    ] = None,
    assignments: Assignments = None,
) -> None:
    """Create a profile; it is saved as a draft and 'profile info' says what it still needs."""
    open_db()
    base = _load_file(settings_file) if settings_file else None
    saved = create_profile(name, client, source, settings=base, changes=_changes(assignments))
    _print_notices(saved.notices)
    profile = saved.detail.summary
    out.print(f"profile {profile.id} {profile.name!r} created")
    _report_runnable(saved.detail)


def _report_runnable(detail: ProfileDetail) -> bool:
    if not detail.problems:
        out.print("runnable: yes")
        return True
    out.print(f"runnable: no, {len(detail.problems)} thing(s) missing:")
    for problem in detail.problems:
        out.print(f"  - {problem}")
    return False


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List profiles."""
    open_db()
    rows = [asdict(summary) for summary in list_profiles()]
    if json_:
        print_json(rows)
        return
    columns = [
        ("id", "ID"),
        ("name", "NAME"),
        ("client", "CLIENT"),
        ("source", "SOURCE"),
        ("behaviour", "BEHAVIOUR"),
        ("scheduled", "SCHEDULED"),
        ("paused", "PAUSED"),
        ("runnable", "RUNNABLE"),
    ]
    print_table(rows, columns, empty="no profiles yet: 'plentysync profile create'")


@app.command("info")
def info(
    profile_ref: Annotated[str, typer.Argument(help="Profile id or name.")],
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a profile's settings and whether it can run."""
    open_db()
    detail = show_profile(profile_ref)
    profile = detail.summary
    if json_:
        print_json(
            {
                **detail.document,
                "id": profile.id,
                "runnable_problems": list(detail.problems),
                "referrer_note": detail.referrer_note,
            }
        )
        return
    out.print(
        f"profile {profile.id} {profile.name!r}: client {profile.client!r}, "
        f"source {profile.source!r} (namespace {detail.namespace!r})"
    )
    runnable = _report_runnable(detail)
    _report_referrer_change(detail)
    for line in settings_lines(detail.settings):
        out.print(line, markup=False)
    if not runnable:
        raise typer.Exit(1)


@app.command("edit")
def edit(
    profile_ref: Annotated[str, typer.Argument(help="Profile id or name.")],
    assignments: Assignments = None,
    name: Annotated[str | None, typer.Option(help="Rename the profile.")] = None,
) -> None:
    """Change settings of a profile with --set section.field=value."""
    open_db()
    if not assignments and name is None:
        show_profile(profile_ref)  # an unknown profile is named first
        fail("nothing to change: give --set section.field=value or --name")
    saved = edit_profile(profile_ref, _changes(assignments), name=name)
    _print_notices(saved.notices)
    profile = saved.detail.summary
    out.print(f"profile {profile.id} {profile.name!r} saved")
    _report_referrer_change(saved.detail)
    _report_runnable(saved.detail)


def _report_referrer_change(detail: ProfileDetail) -> None:
    if detail.referrer_note is not None:
        out.print(f"[yellow]note:[/] {detail.referrer_note}")


@app.command("remove")
def remove(
    profile_ref: Annotated[str, typer.Argument(help="Profile id or name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a profile with its queue and history (links to contacts stay)."""
    open_db()
    profile = show_profile(profile_ref).summary
    if not yes:
        typer.confirm(f"Remove profile {profile.name!r} with its queue and history?", abort=True)
    remove_profile(profile.id)
    out.print(f"profile {profile.name!r} removed")


@app.command("export-config")
def export_config(
    profile_ref: Annotated[str, typer.Argument(help="Profile id or name.")],
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write a profile as a reviewable JSON document (no secrets in it)."""
    open_db()
    document = show_profile(get_profile(profile_ref).id).document
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    write_private_text(output, text)
    out.print(f"profile written to {output}")


@app.command("import-config")
def import_config(
    path: Annotated[Path, typer.Argument(help="A document written by export-config.")],
    replace: Annotated[bool, typer.Option(help="Overwrite the profile of the same name.")] = False,
) -> None:
    """Create (or with --replace overwrite) a profile from a JSON document."""
    open_db()
    saved = import_profile(_load_file(path), replace=replace)
    _print_notices(saved.notices)
    summary = saved.detail.summary
    out.print(f"profile {summary.id} {summary.name!r} imported")
    _report_runnable(saved.detail)


profile_ops.register(app)
