"""Why a profile is or is not running, in sentences a sysadmin can act on.

Each reason names what to do about it; the caller passes the facts only the deployment knows
(its mode and whether any worker is alive), so core imports no worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.db.models import Profile, QueueItem, Run
from core.errors import PlentysyncError
from core.export.owner import run_owner
from core.export.runs import RUN_OPEN
from core.profiles.service import check_runnable, get_profile, profile_settings
from core.services.dashboard import blackout_end, next_run_at


@dataclass(frozen=True)
class Explanation:
    """The verdict (``running`` or not) and the reasons, most important first."""

    profile: str
    running: bool
    reasons: tuple[str, ...]


def explain(ref: str | int, *, mode: str, workers_alive: bool, now: dt.datetime) -> Explanation:
    """Why profile ``ref`` is or is not running at ``now`` (naive UTC) under ``mode``."""
    profile: Profile = get_profile(ref)
    reasons: list[str] = []
    run = (
        Run.select()
        .where((Run.profile == profile.id) & Run.status.in_((*RUN_OPEN, "stale")))
        .order_by(Run.id.desc())
        .first()
    )
    running = run is not None and run.status in RUN_OPEN
    if run is not None:
        owner = run_owner(run)
        who = owner.describe() if owner.state != "none" else "the workers"
        if run.status == "stale":
            reasons.append(f"run {run.id} is stale: nothing moved it for too long; resume it")
        elif owner.state == "gone":
            reasons.append(f"run {run.id} is open but its {who} is gone; resume it")
        else:
            reasons.append(f"run {run.id} is {run.status}, worked by {who}")
    if profile.paused:
        reasons.append("the profile is paused: nothing starts on its schedule or queue (p)")
    window = blackout_end(profile, now)
    if window is not None:
        reasons.append(f"its client is in a blackout window until {window}: no writes before")
    try:
        problems = check_runnable(profile)
    except PlentysyncError as exc:
        problems = [str(exc)]  # type: ignore[list-item]
    reasons += [f"not runnable: {problem}" for problem in problems]
    if not workers_alive and mode != "embedded":
        reasons.append(
            "no worker is alive: start 'plentysync serve' (or workers with Redis), or run "
            "the TUI without one to work runs here"
        )
    try:
        scheduled = profile_settings(profile).schedule.status
    except PlentysyncError:
        scheduled = False
    fire = next_run_at(profile, now)
    if fire is not None:
        reasons.append(f"next scheduled run at {fire:%Y-%m-%d %H:%M} UTC")
    elif not scheduled:
        reasons.append("not scheduled: runs start by hand (x) or from the queue")
    due = (
        QueueItem.select()
        .where(
            (QueueItem.profile == profile.id)
            & (QueueItem.status == "pending")
            & (QueueItem.next_attempt_at <= now)
        )
        .count()
    )
    if due:
        reasons.append(f"{due} queued customers are due")
    if not reasons:
        reasons.append("nothing is running and nothing waits")
    return Explanation(profile=profile.name, running=running, reasons=tuple(reasons))
