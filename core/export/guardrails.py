"""Guardrails: a run that goes wrong pauses itself before it does much damage.

Two rules, set per profile (``ProfileSettings.guard``) and judged at each batch:

* **failures**, after a batch settles: more than ``failure_share`` of the run's last
  ``failure_window`` final results failed (PlentyONE refuses what we send, a mapping broke).
* **creations**, before a batch is worked: the contacts the run created so far plus the
  unlinked entities of the batch would pass the lowest of ``max_creates``, the entities of the
  run not yet linked when it started, and - once a full export of the profile finished -
  ``creates_multiple`` times what that export created (a profile pointed at another shop).

A paused run keeps its batches; ``run resume`` goes on and ``run cancel`` ends it. A resume
accepts the pause: failures are judged again only on results after it, and a run whose
creations were accepted is not stopped for its creations again. With several workers the
batches already in flight finish after a pause, so a run may pass a limit by that much.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import peewee as pw
from pydantic import BaseModel

from core.db.connection import write_transaction
from core.db.models import Run, RunItem
from core.export import index, runs
from core.export.deps import ExportDeps
from core.export.enumerate import run_keys
from core.profiles.service import profile_settings
from core.profiles.settings import GuardSection

log = logging.getLogger(__name__)

Rule = Literal["failures", "creations"]


class GuardMarks(BaseModel):
    """What a run's guard remembers between batches, stored on the run (``Run.guard``)."""

    tripped: Rule | None = None
    # Results up to this run item id were judged before a resume; only later ones count.
    failures_after: int = 0
    creations_accepted: bool = False
    # The run's entities without a link when it started (None until it is enumerated).
    expected_creates: int | None = None


@dataclass(frozen=True)
class CreationLimit:
    """The most contacts a run may create, and the rule that sets it, in words."""

    most: int
    why: str


def failure_reason(actions: Sequence[str], guard: GuardSection) -> str | None:
    """Why the last results (newest first, at most a window) pause the run, or None."""
    window = guard.failure_window
    if len(actions) < window:
        return None
    failed = sum(1 for action in actions[:window] if action == "failed")
    if failed / window <= guard.failure_share:
        return None
    return (
        f"{failed} of the last {window} customers failed "
        f"(more than {guard.failure_share:.0%}): see 'plentysync history show'"
    )


def creation_limit(
    guard: GuardSection, expected: int | None, full_export: tuple[int, int] | None
) -> CreationLimit | None:
    """The lowest of the creation limits that apply (``full_export``: its run id, creations)."""
    limits: list[CreationLimit] = []
    if guard.max_creates is not None:
        limits.append(CreationLimit(guard.max_creates, "the profile's max_creates"))
    if expected is not None:
        limits.append(CreationLimit(expected, f"the {expected} entities not yet linked"))
    if full_export is not None:
        run_id, created = full_export
        most = int(created * guard.creates_multiple)
        limits.append(
            CreationLimit(
                most,
                f"{guard.creates_multiple:g} x the {created} contacts full export run "
                f"{run_id} created",
            )
        )
    return min(limits, key=lambda limit: limit.most, default=None)


def creation_reason(created: int, coming: int, limit: CreationLimit | None) -> str | None:
    """Why creating ``coming`` more after ``created`` pauses the run, or None."""
    if limit is None or created + coming <= limit.most:
        return None
    return (
        f"would create more than {limit.most} contacts ({created} created, {coming} more "
        f"not linked in the next batch), the limit of {limit.why}"
    )


def marks_of(run: Run) -> GuardMarks:
    return GuardMarks.model_validate(run.guard or {})


def before_batch(deps: ExportDeps, keys: list[str]) -> bool:
    """Pause the run when working these keys could create more contacts than expected.

    True when the run is paused: the caller gives the batch back untouched.
    """
    run = Run.get_by_id(deps.run_id)
    guard = profile_settings(run.profile).guard
    marks = marks_of(run)
    if not guard.enabled or marks.creations_accepted:
        return False
    if marks.expected_creates is None and run.enumerated:
        # Creates so far linked their keys; together with the rest that is the start's count.
        unlinked = index.unlinked_count(deps.client_id, deps.namespace, run_keys(run.id))
        marks.expected_creates = unlinked + run.created
        _keep(run.id, marks)
    coming = index.unlinked_count(deps.client_id, deps.namespace, keys)
    if not coming:
        return False
    limit = creation_limit(guard, marks.expected_creates, full_export_created(run))
    reason = creation_reason(run.created, coming, limit)
    return reason is not None and pause(run, marks, "creations", reason)


def after_batch(deps: ExportDeps) -> bool:
    """Pause the run when too many of its latest results failed; True when it paused."""
    run = Run.get_by_id(deps.run_id)
    guard = profile_settings(run.profile).guard
    if not guard.enabled:
        return False
    marks = marks_of(run)
    latest = (
        RunItem.select(RunItem.action)
        .where(
            (RunItem.run == run.id)
            & (RunItem.final == True)  # noqa: E712
            & (RunItem.id > marks.failures_after)
        )
        .order_by(RunItem.id.desc())
        .limit(guard.failure_window)
    )
    reason = failure_reason([item.action for item in latest], guard)
    return reason is not None and pause(run, marks, "failures", reason)


def full_export_created(run: Run) -> tuple[int, int] | None:
    """The finished full export of the run's profile that created the most contacts.

    The most, not the latest: a later full export creates only the customers new since, and
    would make the limit too tight for an ordinary run.
    """
    done = (
        Run.select(Run.id, Run.created, Run.options)
        .where(
            (Run.profile == run.profile_id)
            & (Run.status == "done")
            & (Run.created > 0)
            & (Run.id != run.id)
        )
        .order_by(Run.created.desc(), Run.id.desc())
    )
    for earlier in done.limit(50):
        if is_full_export(runs.run_options(earlier)):
            return int(earlier.id), int(earlier.created)
    return None


def is_full_export(options: runs.RunOptions) -> bool:
    """Every customer of the profile's shop, not a selection of them."""
    return not (
        options.entity_ids is not None
        or options.new_only
        or options.limit is not None
        or options.queue
        or options.store_id is not None
    )


def pause(run: Run, marks: GuardMarks, rule: Rule, reason: str) -> bool:
    """Pause the run for ``reason`` and mail the operator; False if it was not running."""
    marks.tripped = rule
    if not runs.pause_run(run.id, reason, marks.model_dump()):
        return False
    log.warning("run %s paused: %s", run.id, reason)
    # core.operations reads core.export (history, health): imported only once a run pauses.
    from core.operations.notify import mail_once, paused_incident
    from core.operations.settings import NotifySettings

    mail_once(paused_incident(Run.get_by_id(run.id)), NotifySettings())
    return True


def accepted(run: Run) -> dict[str, object]:
    """The guard of a paused run that someone resumes: the rule that tripped is satisfied."""
    marks = marks_of(run)
    if marks.tripped == "failures":
        last = RunItem.select(pw.fn.MAX(RunItem.id)).where(RunItem.run == run.id).scalar()
        marks.failures_after = int(last or 0)
    elif marks.tripped == "creations":
        marks.creations_accepted = True
    marks.tripped = None
    return marks.model_dump()


def _keep(run_id: int, marks: GuardMarks) -> None:
    with write_transaction():
        Run.update(guard=marks.model_dump()).where(Run.id == run_id).execute()
