"""``customer replace``: delete the contacts plentysync owns for a profile and export afresh.

The one destructive operation, and a one-shot command only (schedules and queues run a
profile set to "replace" as append). A contact is deleted only when all of this holds:

* a link of this database names it (client, namespace, the entity);
* the entity is the profile's own: Magento places the customer in a store the profile exports,
  or the guest's website is exported by this profile alone and whole (``replace_scope``);
* PlentyONE holds it with our identity for that entity in the identity field;
* it is of contact type customer.

Links of other profiles on the same client, and customers Magento no longer returns, are left
out and counted by reason.

Every delete asks PlentyONE to refuse when the contact has orders; such contacts are kept and
reported. Before the first delete every candidate is written to a JSON-lines backup (0600) in
the data directory; backups older than the retention are removed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.db.models import CustomerLink, Profile, Run
from core.errors import ConfigError, DataError, NotFoundError, ValidationError
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.executor import Executor, InlineExecutor
from core.export.identity import identity
from core.export.links import drop_link
from core.export.runs import RunOptions
from core.export.service import start_export
from core.files import create_private_file, private_dir
from core.mapping.context import CONTACT_TYPE_CUSTOMER
from core.plenty import Contact
from core.settings import get_settings
from core.tools.replace_scope import scope_links
from core.tools.session import tool_deps

__all__ = [
    "BACKUP_RETENTION_DAYS",
    "ReplacePlan",
    "ReplaceResult",
    "backup_dir",
    "plan_replace",
    "replace_contacts",
]

BACKUP_RETENTION_DAYS = 30
PAGE = 250


class CountMismatch(ConfigError):
    """``--confirm`` does not name the number of contacts that would be deleted now."""


@dataclass
class ReplacePlan:
    """The contacts a replace would delete, and those it leaves alone with the reason.

    ``left_out`` counts the links outside the profile's own stores (never looked up in
    PlentyONE), ``kept`` the profile's links whose contact is not ours to delete.
    """

    profile: str
    deletable: list[tuple[CustomerLink, Contact]] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)  # reason -> contacts
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> links

    @property
    def count(self) -> int:
        return len(self.deletable)


@dataclass
class ReplaceResult:
    deleted: int
    kept_with_orders: list[int]
    failed: dict[int, str]
    backup: Path
    run: Run | None
    left_out: dict[str, int] = field(default_factory=dict)


def backup_dir() -> Path:
    return get_settings().home / "backups"


def plan_replace(profile: Profile, backends: Backends | None = None) -> ReplacePlan:
    """What a replace would delete now (reads only).

    Magento is asked for the linked customers' stores (one search per page of ids), then
    PlentyONE lists its contacts (one page per 250 contacts).
    """
    with tool_deps(profile, read_only=True, backends=backends) as deps:
        return _plan(deps, profile)


def _plan(deps: ExportDeps, profile: Profile) -> ReplacePlan:
    linked = CustomerLink.select().where(
        (CustomerLink.client == deps.client_id)
        & (CustomerLink.namespace == deps.namespace)
        & (CustomerLink.state == "linked")
        & CustomerLink.contact_id.is_null(False)
    )
    scope = scope_links(deps, profile, linked)
    plan = ReplacePlan(profile.name, left_out=scope.left_out)
    links = {link.contact_id: link for link in scope.links}
    if not links:
        return plan
    seen: set[int] = set()
    field_name = deps.ctx.identity_field
    for contact in deps.plenty.contacts.iterate(
        with_=("addresses", "options"), items_per_page=PAGE
    ):
        link = links.get(contact.id)
        if link is None:
            continue
        seen.add(contact.id)
        if getattr(contact, field_name) != identity(
            deps.namespace, link.entity_type, link.entity_key
        ):
            _keep(plan, f"linked, but {field_name} does not carry our identity")
        elif contact.typeId != CONTACT_TYPE_CUSTOMER:
            _keep(plan, "linked, but not of contact type customer")
        else:
            plan.deletable.append((link, contact))
    missing = len(set(links) - seen)
    if missing:
        plan.kept["linked, but no longer in PlentyONE (the next export drops the link)"] = missing
    return plan


def _keep(plan: ReplacePlan, reason: str) -> None:
    plan.kept[reason] = plan.kept.get(reason, 0) + 1


def replace_contacts(
    profile: Profile,
    confirm: int,
    *,
    executor: Executor | None = None,
    retention_days: int = BACKUP_RETENTION_DAYS,
    backends: Backends | None = None,
) -> ReplaceResult:
    """Back up, delete and re-export; refuses unless ``confirm`` is the count found now.

    ``executor`` works the re-export run (default: inline, in this process).
    """
    with tool_deps(profile, read_only=False, backends=backends) as deps:
        plan = _plan(deps, profile)
        if confirm != plan.count:
            raise CountMismatch(
                f"--confirm {confirm} does not match: {plan.count} contacts would be deleted "
                "now; look at the count again and confirm exactly that number"
            )
        backup = write_backup(profile, plan, retention_days)
        deleted = 0
        with_orders: list[int] = []
        failed: dict[int, str] = {}
        guests_deleted = False
        for link, contact in plan.deletable:
            try:
                deps.plenty.contacts.delete(contact.id, check_existing_orders=True)
            except NotFoundError:
                pass  # gone already: the link goes all the same
            except ValidationError:
                # PlentyONE's check for existing orders refused: the contact stays, linked.
                with_orders.append(contact.id)
                continue
            except DataError as exc:
                failed[contact.id] = str(exc)
                continue
            drop_link(link)
            deleted += 1
            guests_deleted |= link.entity_type == "guest"
    run = None
    if deleted:
        # Every customer is exported again; the guest phase only when guest contacts went.
        options = RunOptions(guests=guests_deleted)
        run = start_export(profile, options, trigger="replace")
        runner = executor or InlineExecutor()
        runner.submit(run)
        run = Run.get_by_id(run.id)
    return ReplaceResult(deleted, with_orders, failed, backup, run, plan.left_out)


def write_backup(profile: Profile, plan: ReplacePlan, retention_days: int) -> Path:
    """Every contact about to be deleted, as JSON lines, readable by the owner only."""
    folder = backup_dir()
    private_dir(folder)
    _expire_backups(folder, retention_days)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"replace-profile-{profile.id}-{stamp}.jsonl"
    with os.fdopen(create_private_file(path, exclusive=True), "w", encoding="utf-8") as out:
        for link, contact in plan.deletable:
            line: dict[str, Any] = {
                "profile": profile.id,
                "entity_type": link.entity_type,
                "entity_key": link.entity_key,
                "contact": contact.model_dump(mode="json"),
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return path


def _expire_backups(folder: Path, retention_days: int) -> None:
    cutoff = dt.datetime.now(dt.UTC).timestamp() - retention_days * 86_400
    for old in folder.glob("replace-profile-*.jsonl"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
