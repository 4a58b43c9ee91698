"""The dashboard: one row per profile, budget meters and problems, read in one pass.

It is built on the status of ``plentysync status`` (the caller passes it in, with the live
workers and budget state only the deployment knows), so the dashboard and the command never
disagree. What the status lacks is added here: the state word, the next scheduled run, the
blackout window and a 30-minute sparkline of customers worked per minute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from core.clients import client_settings
from core.db.models import Client, Profile, Run, RunItem, Schedule
from core.errors import PlentysyncError
from core.operations.health import Status
from core.profiles.service import check_runnable, profile_settings
from core.schedules import cron_trigger

SPARK_MINUTES = 30
# A client without a plan and without its own daily figure gets this many calls a day.
NO_DAY_LIMIT = 10**9

ProfileState = Literal[
    "running", "enumerating", "paused", "stale", "blackout", "not-runnable", "idle"
]


@dataclass(frozen=True)
class ProfileRow:
    """One profile as the dashboard shows it; ``state_text`` carries a word for each colour."""

    id: int
    name: str
    client: str
    state: ProfileState
    state_text: str
    run_id: int | None
    last_run_id: int | None
    last_run_status: str | None
    last_run_at: dt.datetime | None
    queue_pending: int
    queue_failed: int
    next_run_at: dt.datetime | None
    sparkline: tuple[int, ...]


@dataclass(frozen=True)
class BudgetMeter:
    """What plentysync may still spend of one client's budget, per minute and per day."""

    client: str
    kind: Literal["read", "write"]
    minute_left: int
    minute_limit: int
    day_left: int
    day_limit: int | None  # None: the client has no daily limit

    @property
    def minute_used(self) -> int:
        return max(0, self.minute_limit - min(self.minute_left, self.minute_limit))

    @property
    def day_used(self) -> int | None:
        """Calls spent today; None without a daily limit."""
        if self.day_limit is None:
            return None
        return max(0, self.day_limit - min(self.day_left, self.day_limit))


@dataclass(frozen=True)
class Dashboard:
    """Everything one dashboard poll shows."""

    rows: tuple[ProfileRow, ...]
    budgets: tuple[BudgetMeter, ...]
    problems: tuple[str, ...]
    workers: tuple[str, ...]
    database: str
    read_at: dt.datetime


def build_dashboard(status: Status, now: dt.datetime) -> Dashboard:
    """The dashboard for ``status`` read at ``now`` (naive UTC, as the database keeps time)."""
    profiles = {p.id: p for p in Profile.select(Profile, Client).join(Client)}
    sparks = _sparklines(list(profiles), now)
    last_runs = _last_runs(list(profiles))
    rows = []
    for entry in status.profiles:
        profile = profiles.get(entry["id"])
        if profile is None:  # removed between the two reads
            continue
        last = last_runs.get(profile.id)
        rows.append(
            ProfileRow(
                id=profile.id,
                name=profile.name,
                client=profile.client.name,
                **_state(profile, entry, now),
                last_run_id=last.id if last else None,
                last_run_status=last.status if last else None,
                last_run_at=(last.finished_at or last.created_at) if last else None,
                queue_pending=entry["queue_depth"],
                queue_failed=entry["failed_items"],
                next_run_at=next_run_at(profile, now),
                sparkline=sparks.get(profile.id, (0,) * SPARK_MINUTES),
            )
        )
    return Dashboard(
        rows=tuple(rows),
        budgets=tuple(_meters(status.budgets)),
        problems=tuple(p.message for p in status.problems),
        workers=tuple(status.workers),
        database=status.database,
        read_at=now,
    )


def _state(profile: Profile, entry: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    run = entry["current_run"]
    run_id = run["id"] if run else None
    if run is not None and run["status"] == "stale":
        return {"state": "stale", "state_text": f"✖ stale run {run_id}", "run_id": run_id}
    if run is not None:
        if not run["enumerated"]:
            text = f"… enumerating {run['customers_done']:,}"
            return {"state": "enumerating", "state_text": text, "run_id": run_id}
        total = Run.get_by_id(run_id).total
        text = f"▶ running {run['customers_done']:,}/{total:,}"
        cap = run.get("cap_days")
        if cap is not None and cap >= 1.0:
            # A load across days says how many the daily write cap makes it take.
            text += f" · ≈ {cap:.1f} d at the write cap"
        return {"state": "running", "state_text": text, "run_id": run_id}
    if profile.paused:
        return {"state": "paused", "state_text": "⏸ paused", "run_id": None}
    window = blackout_end(profile, now)
    if window is not None:
        return {"state": "blackout", "state_text": f"☾ blackout until {window}", "run_id": None}
    try:
        problems = check_runnable(profile)
    except PlentysyncError:
        problems = [None]  # type: ignore[list-item]
    if problems:
        return {"state": "not-runnable", "state_text": "⚠ not runnable", "run_id": None}
    return {"state": "idle", "state_text": "· idle", "run_id": None}


def blackout_end(profile: Profile, now: dt.datetime) -> str | None:
    """``03:00`` when the profile's client is inside a blackout window at ``now``."""
    moment = now.replace(tzinfo=dt.UTC)
    window = client_settings(profile.client).blackout_at(moment)
    return None if window is None else f"{window.ends_after(moment):%H:%M}"


def next_run_at(profile: Profile, now: dt.datetime) -> dt.datetime | None:
    """When the profile's watch schedule fires next (naive UTC); None when not scheduled."""
    try:
        section = profile_settings(profile).schedule
    except PlentysyncError:
        return None
    if not section.status or section.schedule_id is None or profile.paused:
        return None
    schedule = Schedule.get_or_none(Schedule.id == section.schedule_id)
    if schedule is None:
        return None
    try:
        trigger = cron_trigger(schedule.cron, schedule.timezone)
    except PlentysyncError:
        return None
    fire = trigger.get_next_fire_time(None, now.replace(tzinfo=dt.UTC))
    return None if fire is None else fire.astimezone(dt.UTC).replace(tzinfo=None)


def _sparklines(
    profile_ids: list[int], now: dt.datetime, minutes: int = SPARK_MINUTES
) -> dict[int, tuple[int, ...]]:
    """Customers worked per minute over the last ``minutes``, oldest first, per profile."""
    since = now - dt.timedelta(minutes=minutes)
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * minutes)
    query: Any = (
        RunItem.select(Run.profile, RunItem.created_at)
        .join(Run)
        .where((RunItem.created_at > since) & Run.profile.in_(profile_ids))
        .tuples()
    )
    for profile_id, moment in query:
        bucket = int((moment - since).total_seconds() // 60)
        counts[profile_id][min(max(bucket, 0), minutes - 1)] += 1
    return {key: tuple(value) for key, value in counts.items()}


def _last_runs(profile_ids: list[int]) -> dict[int, Run]:
    if not profile_ids:
        return {}
    from peewee import fn

    latest = Run.select(fn.MAX(Run.id)).where(Run.profile.in_(profile_ids)).group_by(Run.profile)
    return {run.profile_id: run for run in Run.select().where(Run.id.in_(latest))}


def _meters(budgets: list[dict[str, Any]]) -> list[BudgetMeter]:
    clients = {c.name: c for c in Client.select()}
    meters = []
    for left in budgets:
        client = clients.get(left["client"])
        if client is None:
            continue
        settings = client_settings(client)
        budget, share = settings.budget(), settings.budget_share
        kinds: tuple[Literal["read", "write"], ...] = ("read", "write")
        for kind in kinds:
            per_minute = getattr(budget, f"{kind}s_per_minute")
            per_day = getattr(budget, f"{kind}s_per_day")
            meters.append(
                BudgetMeter(
                    client=client.name,
                    kind=kind,
                    minute_left=left[f"{kind}_per_minute"],
                    minute_limit=max(1, round(per_minute * share)),
                    day_left=left[f"{kind}_per_day"],
                    day_limit=None if per_day >= NO_DAY_LIMIT else max(1, round(per_day * share)),
                )
            )
    return meters
