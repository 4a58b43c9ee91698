"""Counts of what the emulator was asked and what it holds, for ``GET /_sandbox/stats``."""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.plenty.app import Emulator


class CallStats:
    """Calls by method and route template, answers by status."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_route: Counter[str] = Counter()
        self.by_method: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self.late_writes_applied = 0

    def record(self, method: str, template: str, status: int) -> None:
        with self._lock:
            self.by_route[f"{method} {template}"] += 1
            self.by_method[method] += 1
            self.by_status[status] += 1


def snapshot(emulator: Emulator) -> dict[str, Any]:
    """Everything a test or a benchmark wants to know after a run, as JSON."""
    store, calls, sessions = emulator.store, emulator.stats, emulator.sessions
    with store.lock:
        contacts = len(store.contacts)
        by_external_id = Counter(
            str(row.fields.get("externalId"))
            for row in store.contacts.values()
            if row.fields.get("externalId") not in (None, "")
        )
        by_email = Counter(
            option["value"].strip().lower()
            for row in store.contacts.values()
            for option in row.options
            if option["typeId"] == 2 and option["subTypeId"] == 4 and option["value"].strip()
        )
        relations = list(store.address_relations.values())
        same = Counter((r["contactId"], r["addressId"], r["typeId"]) for r in relations)
        primaries = Counter((r["contactId"], r["typeId"]) for r in relations if r["isPrimary"])
        holdings = {
            "contacts": contacts,
            "guests": sum(1 for row in store.contacts.values() if _is_guest(row.options)),
            "addresses": len(store.addresses),
            "address_relations": len(store.address_relations),
            # Address relations by "typeId/primary" or "typeId/other", the same address
            # related to a contact twice in one type, and contacts with two primaries of one.
            "relations_by_type": dict(
                sorted(
                    Counter(
                        f"{r['typeId']}/{'primary' if r['isPrimary'] else 'other'}"
                        for r in relations
                    ).items()
                )
            ),
            "duplicate_address_relations": sum(n - 1 for n in same.values()),
            "double_primary_relations": sum(n - 1 for n in primaries.values()),
            "accounts": len(store.accounts),
            "account_relations": len(store.account_relations),
            "contacts_with_orders": sum(1 for n in store.orders.values() if n > 0),
            # A duplicate is every contact beyond the first sharing the same key.
            "duplicate_contacts_by_external_id": sum(n - 1 for n in by_external_id.values()),
            "duplicate_contacts_by_email": sum(n - 1 for n in by_email.values()),
        }
    users, tokens = sessions.live_counts()
    with calls._lock:
        return {
            "calls": {
                "total": sum(calls.by_method.values()),
                "by_method": dict(calls.by_method),
                "by_route": dict(calls.by_route),
                "by_status": {str(status): n for status, n in sorted(calls.by_status.items())},
                "rate_limited": calls.by_status.get(429, 0),
            },
            **holdings,
            "sessions": {
                "logins": sessions.logins,
                "refreshes": sessions.refreshes,
                "logged_in_users": users,
                "live_tokens": tokens,
                "max_concurrent_sessions": sessions.max_users_seen,
                "max_live_tokens": sessions.max_tokens_seen,
            },
            "faults": {
                **dict(emulator.faults.injected),
                "late_writes_applied": calls.late_writes_applied,
            },
        }


def _is_guest(options: list[dict[str, Any]]) -> bool:
    return any(o["typeId"] == 10 and o["subTypeId"] == 11 and o["value"] == "1" for o in options)
