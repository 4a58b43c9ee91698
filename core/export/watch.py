"""Watching a Magento store for new, changed and deleted customers, into a profile's queue.

The watch reads customers changed since its bookmark (``updated_at`` plus the ids already
seen in the last second, so customers saved in the same second are never missed), queues
them and stores the bookmark page by page, only after the page is queued. Once a day it also
compares the customers we linked with the ids Magento still has, and queues the ones that
are gone: the drain reports them as deleted in Magento (contacts are never deleted).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from core.cursors import load_bookmark, save_bookmark
from core.db.models import CustomerLink, Profile, utcnow
from core.export import queue
from core.magento import MagentoSource, UpdatedCursor

log = logging.getLogger(__name__)

DELETION_CHECK_EVERY = dt.timedelta(hours=24)
_TIME = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class WatchResult:
    """What one watch found: changed customers queued, deleted customers reported."""

    changed: int
    deleted: int


def bookmark_name(profile_id: int) -> str:
    return f"watch:{profile_id}"


def watch_source(
    profile: Profile, magento: MagentoSource, *, check_deleted: bool | None = None
) -> WatchResult:
    """Queue the profile's customers changed since the last watch; report deleted ones.

    ``check_deleted`` None runs the deletion check when the last one is a day old.
    """
    name = bookmark_name(profile.id)
    stored: dict[str, Any] = load_bookmark(name) or {}
    cursor = UpdatedCursor.from_json(stored.get("cursor"))
    changed = 0
    for page in magento.customers.changes(cursor):
        changed += len(page.items)
        queue.enqueue(profile.id, (str(c.id) for c in page.items))
        stored = {**stored, "cursor": page.cursor.to_json()}
        save_bookmark(name, stored)
    deleted = 0
    last_check = stored.get("deletions_checked_at")
    due = last_check is None or (
        dt.datetime.strptime(last_check, _TIME) < utcnow() - DELETION_CHECK_EVERY
    )
    if check_deleted or (check_deleted is None and due):
        deleted = _queue_deleted(profile, magento, stored)
    return WatchResult(changed=changed, deleted=deleted)


def _queue_deleted(profile: Profile, magento: MagentoSource, stored: dict[str, Any]) -> int:
    """Queue linked customers Magento no longer has, each reported once."""
    present: set[int] = set()
    for page in magento.customers.iter_ids():
        present.update(page)
    reported = {str(k) for k in stored.get("deleted_reported") or []}
    linked = CustomerLink.select(CustomerLink.entity_key).where(
        (CustomerLink.client == profile.client_id)
        & (CustomerLink.namespace == profile.source.namespace)
        & (CustomerLink.entity_type == "customer")
    )
    gone = [
        row.entity_key
        for row in linked
        if row.entity_key.isdigit()
        and int(row.entity_key) not in present
        and row.entity_key not in reported
    ]
    if gone:
        log.warning(
            "profile %s: %d exported customers were deleted in Magento; their PlentyONE "
            "contacts are kept and the drain reports each of them",
            profile.name,
            len(gone),
        )
        queue.enqueue(profile.id, gone)
    save_bookmark(
        bookmark_name(profile.id),
        {
            **stored,
            "deletions_checked_at": utcnow().strftime(_TIME),
            "deleted_reported": sorted(reported | set(gone), key=int),
        },
    )
    return len(gone)
