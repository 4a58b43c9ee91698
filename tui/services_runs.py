"""The façade's runs part: the history listing, one run's detail and its export, dry-run plans.

Mixed into ``tui.services.Services`` (kept in its own module so the shell's façade and this
one can grow apart without stepping on each other). Like the rest of the façade: blocking,
called from thread workers only, answers are frozen values.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from core.errors import InputError
from core.files import private_dir, write_private_text
from core.services.runs import RunDetail, RunFilter, RunItemView, RunSummary, list_runs
from core.services.runs import run_detail as core_run_detail
from core.settings import get_settings

__all__ = [
    "FILTER_KEYS",
    "CustomerPlan",
    "DryRunPlan",
    "RunDetail",
    "RunFilter",
    "RunItemView",
    "RunsFacade",
    "describe_filter",
    "parse_run_filter",
]

ExportFormat = Literal["csv", "json"]
FILTER_KEYS = ("profile", "status", "trigger", "class")
RUNS_SHOWN = 200


def parse_run_filter(text: str, limit: int = RUNS_SHOWN) -> RunFilter:
    """``profile=demo status=failed trigger=schedule class=NotFound`` into a ``RunFilter``.

    A bare word names the profile, so typing a profile's name is enough. An unknown key is
    an ``InputError`` that lists the known ones.
    """
    found: dict[str, str] = {}
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise InputError(f"filter {text!r}: {exc}") from exc
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            key, value = "profile", word
        key = key.strip().lower()
        if key not in FILTER_KEYS:
            raise InputError(f"filter {key!r}: use {', '.join(k + '=' for k in FILTER_KEYS)}")
        if not value:
            raise InputError(f"filter {key}=: give a value")
        found[key] = value
    profile: str | int | None = found.get("profile")
    if isinstance(profile, str) and profile.isdigit():
        profile = int(profile)
    return RunFilter(
        profile=profile,
        status=found.get("status"),
        trigger=found.get("trigger"),
        error_class=found.get("class"),
        limit=limit,
    )


def describe_filter(wanted: RunFilter) -> str:
    """The filter as the user would type it again; "" when it keeps every run."""
    parts = [
        f"{key}={value}"
        for key, value in (
            ("profile", wanted.profile),
            ("status", wanted.status),
            ("trigger", wanted.trigger),
            ("class", wanted.error_class),
        )
        if value is not None
    ]
    return " ".join(parts)


@dataclass(frozen=True)
class CustomerPlan:
    """What an export would do to one customer: the dry-run viewer's left row and right pane."""

    key: str
    action: str  # create | update | unchanged | conflict | skipped | failed
    label: str  # "update 3 fields", "skipped: no e-mail"
    contact_id: int | None
    fields: tuple[str, ...]
    addresses: tuple[str, ...]
    account: str
    reason: str
    found_by: str
    live: tuple[tuple[str, str, str], ...]  # (field, PlentyONE now, we would send)
    writes: int


@dataclass(frozen=True)
class DryRunPlan:
    """A dry run of one profile, customer by customer; nothing was sent."""

    profile: str
    live: bool
    counts: tuple[tuple[str, int], ...]
    not_looked_at: int
    customers: tuple[CustomerPlan, ...]

    def headline(self) -> str:
        counts = ", ".join(f"{n} {action}" for action, n in self.counts if n)
        return f"nothing was sent: {counts or 'no customer'}"


def _label(action: str, fields: int, reason: str) -> str:
    if action == "update":
        return f"update {fields} field{'s' if fields != 1 else ''}" if fields else "update"
    if action in ("skipped", "failed") and reason:
        return f"{action}: {reason}"
    return action


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def customer_plan(preview: Any) -> CustomerPlan:
    """A frozen copy of the dry run's per-customer preview (``core.tools.dryrun``)."""
    live = tuple(
        (name, _shown(pair.get("plenty")), _shown(pair.get("ours")))
        for name, pair in sorted(preview.live.items())
    )
    return CustomerPlan(
        key=preview.key,
        action=preview.action,
        label=_label(preview.action, len(preview.fields), preview.reason),
        contact_id=preview.contact_id,
        fields=tuple(preview.fields),
        addresses=tuple(preview.addresses),
        account=preview.account,
        reason=preview.reason,
        found_by=preview.found_by,
        live=live,
        writes=int(getattr(preview, "writes", 0)),
    )


ITEM_COLUMNS = ("customer", "action", "error_class", "reason", "seconds", "contact_id")


def detail_rows(detail: RunDetail) -> list[dict[str, Any]]:
    """One run's per-customer results as flat rows (what the CSV and JSON exports hold)."""
    return [
        {
            "customer": item.entity,
            "action": item.action,
            "error_class": item.error_class or "",
            "reason": item.reason or "",
            "seconds": item.seconds,
            "contact_id": item.contact_id,
        }
        for item in detail.items
    ]


def render_export(detail: RunDetail, fmt: ExportFormat) -> str:
    """A run as CSV (one row a customer) or JSON (the summary, classes and customers)."""
    rows = detail_rows(detail)
    if fmt == "json":
        document = {
            "run": detail.summary.summary(),
            "profile_name": detail.summary.profile_name,
            "trigger": detail.summary.trigger,
            "created_at": detail.summary.created_at.isoformat(),
            "error_classes": detail.error_classes,
            "customers": rows,
            "not_in_magento": list(detail.not_in_magento),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ITEM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return out.getvalue()


class RunsFacade:
    """Runs and dry runs; ``Services`` supplies the mode, the deployment and the viewer guard."""

    deployment: Any

    def runs(self, wanted: RunFilter | None = None) -> list[RunSummary]:
        """The runs list and the history: newest first, filtered."""
        return list_runs(wanted or RunFilter(limit=RUNS_SHOWN))

    def run_detail(self, run_id: int, limit: int | None = 500) -> RunDetail:
        """One run with its errors first and a count per error class."""
        return core_run_detail(run_id, limit=limit)

    def reports_dir(self) -> Path:
        """Where exports go: ``<data directory>/reports``, private like the rest of it."""
        return private_dir(get_settings().home / "reports")

    def export_run(self, run_id: int, fmt: ExportFormat, directory: Path | None = None) -> Path:
        """Write one run's results to a 0600 file and return its path (every customer)."""
        if fmt not in ("csv", "json"):
            raise InputError(f"export format {fmt!r}: csv or json")
        detail = self.run_detail(run_id, limit=None)
        folder = directory if directory is not None else self.reports_dir()
        path = folder / f"run-{run_id}.{fmt}"
        write_private_text(path, render_export(detail, fmt))
        return path

    def run_options(self, request: Any) -> Any:  # pragma: no cover - Services defines it
        raise NotImplementedError

    def dry_run_plan(self, profile_id: int, request: Any) -> DryRunPlan:
        """Preview the run the dialog describes, customer by customer; nothing is written.

        ``request.live`` also reads each contact as PlentyONE holds it now (capped, as the
        CLI's ``--live``), so the viewer can show what we would change field by field.
        """
        from core.profiles.service import get_profile
        from core.tools.dryrun import dry_run

        profile = get_profile(profile_id)
        report = dry_run(
            profile,
            self.run_options(request),
            live=request.live,
            limit=request.limit,
            mask=False,  # the operator's own screen: real values (masking is for logs)
            backends=self.deployment.work_backends(),
        )
        return DryRunPlan(
            profile=profile.name,
            live=report.live,
            counts=tuple(report.counts().items()),
            not_looked_at=report.not_looked_at,
            customers=tuple(customer_plan(item) for item in report.items),
        )
