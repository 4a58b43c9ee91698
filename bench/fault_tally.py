"""What a fault scenario achieved, taken from the PlentyONE sandbox and checked against our figures.

The sandbox is the truth: a customer is exported when a contact carries its identity, a
duplicate is every contact beyond the first with the same identity, and the run's figures
must agree with it (created = contacts new in the sandbox, failed = customers without a
contact). plentysync's own records (results per customer, their reasons) come from the
database the scenario used.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from core.db.models import Run, RunItem

NAMESPACE = "demo-shop"
COUNTED = ("created", "updated", "unchanged", "failed")

# Reasons that are plentysync's or its infrastructure's fault, never the record's: a failure
# with one of these is "ours" even for a dirty record.
OUR_FAULTS = re.compile(
    r"gave up after|another worker|claim|timed out|timeout|no answer|HTTP 5\d\d|server error|"
    r"connection|database|locked|disk|no space|rollback|interrupted|TimeLimit|token|login|"
    r"session|rate limit|Redis|[A-Z][a-zA-Z]+Error:",
    re.IGNORECASE,
)


def identity(customer_id: int | str) -> str:
    return f"{NAMESPACE}:c:{customer_id}"


@dataclass
class Tally:
    """One scenario's line of the table."""

    scenario: str
    expected: int = 0
    exported: int = 0
    duplicates: int = 0
    lost: int = 0
    failed_ours: int = 0
    failed_data: int = 0
    results: int = 0
    reported: dict[str, int] = field(default_factory=dict)
    truth: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: str = ""  # why the scenario could not run here
    notes: list[str] = field(default_factory=list)

    @property
    def per_customer(self) -> float:
        return self.results / self.expected if self.expected else 0.0

    @property
    def ok(self) -> bool:
        """The goal: everyone exportable exported, nothing duplicated, lost or failed by us."""
        if self.skipped:
            return True
        return (
            self.duplicates == 0
            and self.lost == 0
            and self.failed_ours == 0
            and self.exported + self.failed_data == self.expected
            and self.results == self.expected
            and self.figures_agree
        )

    @property
    def figures_agree(self) -> bool:
        """The run's counts say what the sandbox holds."""
        r, s = self.reported, self.truth
        return (
            r.get("created", 0) == s.get("created", 0)
            and r.get("updated", 0) + r.get("unchanged", 0) == s.get("existing", 0)
            and r.get("failed", 0) == s.get("failed", 0)
        )

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "per_customer": round(self.per_customer, 2), "ok": self.ok}


@dataclass(frozen=True)
class Result:
    """One result a run recorded for a customer."""

    customer_id: str
    action: str
    message: str = ""


def take_tally(
    scenario: str,
    customers: int,
    run_ids: list[int],
    contacts: list[dict[str, Any]],
    *,
    before: set[str] | frozenset[str] = frozenset(),
    data_suspects: set[str] | frozenset[str] = frozenset(),
) -> Tally:
    """Compare the sandbox's contacts after the scenario with the results of ``run_ids``."""
    items = (
        RunItem.select(RunItem.entity_key, RunItem.action, RunItem.message)
        .where(RunItem.run.in_(run_ids) & (RunItem.entity_type == "customer"))
        .order_by(RunItem.id)
    )
    results = [Result(item.entity_key, item.action, item.message) for item in items]
    runs = list(Run.select().where(Run.id.in_(run_ids)))
    reported = {name: sum(getattr(r, name) for r in runs) for name in (*COUNTED, "skipped")}
    tally = count(
        scenario, customers, contacts, results, reported, before=before, data_suspects=data_suspects
    )
    statuses = Counter(r.status for r in runs)
    tally.notes.append("runs " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    tally.notes += [f"run {r.id} error: {r.error[:200]}" for r in runs if r.error]
    return tally


def count(
    scenario: str,
    customers: int,
    contacts: list[dict[str, Any]],
    results: list[Result],
    reported: dict[str, int],
    *,
    before: set[str] | frozenset[str] = frozenset(),
    data_suspects: set[str] | frozenset[str] = frozenset(),
) -> Tally:
    """The scenario's line from the sandbox's contacts and the results, oldest first.

    ``before`` holds the identities that already had a contact when the scenario began;
    ``data_suspects`` the customer ids whose record is broken on purpose, the only ones
    that may fail for a data reason.
    """
    by_identity = Counter(str(c.get("externalId") or "") for c in contacts)
    wanted = {str(i): identity(i) for i in range(1, customers + 1)}
    tally = Tally(scenario, expected=customers, reported=dict(reported))
    tally.exported = sum(1 for key in wanted.values() if by_identity[key])
    tally.duplicates = sum(by_identity[key] - 1 for key in wanted.values() if by_identity[key] > 1)
    tally.results = sum(1 for result in results if result.customer_id in wanted)
    last = {result.customer_id: result for result in results}  # the latest one wins
    for key, ident in wanted.items():
        result = last.get(key)
        if result is not None and result.action in ("failed", "conflict"):
            if key in data_suspects and not OUR_FAULTS.search(result.message):
                tally.failed_data += 1
            else:
                tally.failed_ours += 1
        elif not by_identity[ident] and (result is None or result.action != "skipped"):
            tally.lost += 1
    tally.truth = {
        "created": sum(1 for key in wanted.values() if by_identity[key] and key not in before),
        # The sandbox cannot tell an update from an unchanged contact: both existed before.
        "existing": sum(1 for key in wanted.values() if by_identity[key] and key in before),
        "failed": customers - tally.exported,
    }
    return tally


HEADER = (
    f"{'scenario':<16} {'expect':>6} {'export':>6} {'dupl':>4} {'lost':>4} {'f-ours':>6} "
    f"{'f-data':>6} {'res/cu':>6}  {'reported c/u/n/f':<19} {'sandbox c/e/f':<15} {'secs':>6}  ok"
)


def table_line(t: Tally) -> str:
    if t.skipped:
        return f"{t.scenario:<16} skipped: {t.skipped}"
    if not t.reported:  # the scenario broke before any figure was taken: its note says why
        return f"{t.scenario:<16} {t.expected:>6} {'broke before it was counted':<56}  NO"
    r, s = t.reported, t.truth
    reported = f"{r['created']}/{r['updated']}/{r['unchanged']}/{r['failed']}"
    truth = f"{s['created']}/{s['existing']}/{s['failed']}"
    return (
        f"{t.scenario:<16} {t.expected:>6} {t.exported:>6} {t.duplicates:>4} {t.lost:>4} "
        f"{t.failed_ours:>6} {t.failed_data:>6} {t.per_customer:>6.2f}  {reported:<19} "
        f"{truth:<15} {t.seconds:>6.1f}  {'yes' if t.ok else 'NO'}"
    )
