"""How long a full export takes at the client's plan and share of the PlentyONE budget.

The calls a customer costs come from the profile's last export that created contacts (its
API writes per created or updated customer, its reads per customer). Without such a run the
documented defaults apply: one write for the contact plus two for billing and delivery
address when addresses are exported, and two reads (identity and e-mail lookup).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from core.clients import client_settings
from core.db.models import CustomerLink, Profile, Run
from core.profiles.service import profile_settings
from core.tools.daily_cap import daily_cap

__all__ = [
    "DEFAULT_READS_PER_CUSTOMER",
    "Estimate",
    "default_writes_per_customer",
    "duration_seconds",
    "estimate_export",
    "format_duration",
]

DEFAULT_READS_PER_CUSTOMER = 2.0
DAY = 86_400


def default_writes_per_customer(create_address: bool) -> float:
    """Contact create, plus billing and delivery address when addresses are exported."""
    return 3.0 if create_address else 1.0


@dataclass(frozen=True)
class Estimate:
    """The ETA of a full export and of the customers not exported yet."""

    customers: int
    linked: int
    writes_per_customer: float
    reads_per_customer: float
    measured_run: int | None  # the run the figures come from; None: defaults
    writes_per_minute: float  # our share
    reads_per_minute: float
    writes_per_day: float
    reads_per_day: float
    full_seconds: float
    pending_seconds: float
    # The days the not-exported customers' writes need at the daily write cap, counted from
    # what the current long period has left (PlentyONE's headers) - see ``daily_cap``.
    cap_days: float = 0.0
    cap_source: str = "plan"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        source = (
            f"measured in run {self.measured_run}"
            if self.measured_run is not None
            else "default estimate"
        )
        return (
            f"{self.customers} customers ({self.linked} exported already); "
            f"{self.writes_per_customer:.2f} writes and {self.reads_per_customer:.2f} reads per "
            f"customer ({source}); budget share {self.writes_per_minute:g} writes and "
            f"{self.reads_per_minute:g} reads a minute, {self.writes_per_day:,.0f} writes a day. "
            f"A full export takes about {format_duration(self.full_seconds)}; the "
            f"{self.customers - self.linked} not exported yet about "
            f"{format_duration(self.pending_seconds)} ({self.cap_text})."
        )

    @property
    def cap_text(self) -> str:
        return f"≈ {self.cap_days:.1f} days at the daily write cap"


def duration_seconds(calls: float, per_minute: float, per_day: float) -> float:
    """Seconds ``calls`` need at ``per_minute``, waiting for the next day when a day is spent."""
    if calls <= 0:
        return 0.0
    per_day = min(per_day, per_minute * 1440)
    full_days = math.floor(calls / per_day) if calls > per_day else 0
    rest = calls - full_days * per_day
    return full_days * DAY + rest / per_minute * 60


def _measured(profile: Profile) -> tuple[float, float, int] | None:
    run = (
        Run.select()
        .where((Run.profile == profile.id) & (Run.status == "done") & (Run.created > 0))
        .order_by(Run.id.desc())
        .first()
    )
    if run is None or run.total == 0:
        return None
    written = max(1, run.created + run.updated)
    return run.api_writes / written, run.api_reads / run.total, run.id


def writes_per_customer(profile: Profile, run: Run | None = None) -> float:
    """Writes per customer: as ``run`` spent them so far, else the last export, else defaults."""
    if run is not None and run.created + run.updated >= 10:
        return float(run.api_writes / (run.created + run.updated))
    measured = _measured(profile)
    if measured is not None:
        return measured[0]
    return default_writes_per_customer(profile_settings(profile).customer.create_address)


def run_cap_days(run: Run) -> float | None:
    """The days the run's customers still to do need at the daily write cap (None: unknown)."""
    if not run.enumerated:
        return None
    done = run.created + run.updated + run.unchanged + run.skipped + run.failed + run.conflicts
    left = max(0, run.total - done)
    return round(
        daily_cap(run.profile.client, left * writes_per_customer(run.profile, run)).days, 2
    )


def estimate_export(profile: Profile, customers: int) -> Estimate:
    """The ETA for ``customers`` (the store's count) on this profile's client."""
    client = client_settings(profile.client)
    budget = client.budget()
    share = client.budget_share
    measured = _measured(profile)
    if measured is not None:
        writes, reads, run_id = measured
    else:
        create_address = profile_settings(profile).customer.create_address
        writes, reads = default_writes_per_customer(create_address), DEFAULT_READS_PER_CUSTOMER
        run_id = None
    linked = (
        CustomerLink.select()
        .where(
            (CustomerLink.client == profile.client_id)
            & (CustomerLink.namespace == profile.source.namespace)
            & (CustomerLink.entity_type == "customer")
            & (CustomerLink.state == "linked")
        )
        .count()
    )
    wpm, rpm = budget.writes_per_minute * share, budget.reads_per_minute * share
    wpd, rpd = budget.writes_per_day * share, budget.reads_per_day * share

    def seconds(count: int) -> float:
        return max(
            duration_seconds(count * writes, wpm, wpd), duration_seconds(count * reads, rpm, rpd)
        )

    pending = max(0, customers - linked)
    cap = daily_cap(profile.client, pending * writes)
    return Estimate(
        customers=customers,
        linked=linked,
        writes_per_customer=round(writes, 3),
        reads_per_customer=round(reads, 3),
        measured_run=run_id,
        writes_per_minute=round(wpm, 2),
        reads_per_minute=round(rpm, 2),
        writes_per_day=round(wpd),
        reads_per_day=round(rpd),
        full_seconds=round(seconds(customers), 1),
        pending_seconds=round(seconds(pending), 1),
        cap_days=round(cap.days, 2),
        cap_source=cap.source,
    )


def format_duration(seconds: float) -> str:
    """``3 d 4 h``, ``2 h 5 min``, ``40 s``: rounded the way a person plans with it."""
    seconds = round(seconds)
    days, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"
