"""Guest buyers: keys kept up to date from the guest-order stream, and their batch drafts.

Guests are never folded in memory: each order read updates one ``GuestKey`` row (website +
normalised e-mail -> latest order), and a run enumerates those rows like customer ids.
"""

from __future__ import annotations

from core.cursors import load_bookmark, save_bookmark
from core.db.connection import write_transaction
from core.db.models import GuestKey, utcnow
from core.export.deps import ExportDeps
from core.export.entity import Outcome, draft_guest, missing, refused
from core.export.identity import BatchKey
from core.export.plan import Drafts
from core.magento import GuestBuyer, MagentoSource, UpdatedCursor


def bookmark_name(source_id: int) -> str:
    return f"guest-orders:{source_id}"


def sync_guest_keys(source_id: int, magento: MagentoSource) -> int:
    """Read guest orders changed since the bookmark into ``GuestKey`` rows; returns orders read."""
    cursor = UpdatedCursor.from_json(load_bookmark(bookmark_name(source_id)))
    read = 0
    for page in magento.guests.changes(cursor):
        with write_transaction():
            for buyer in page.items:
                _remember(source_id, buyer)
        save_bookmark(bookmark_name(source_id), page.cursor.to_json())
        read += len(page.items)
    return read


def _remember(source_id: int, buyer: GuestBuyer) -> None:
    if buyer.website_id is None:
        return
    changed = buyer.updated_at.replace(tzinfo=None) if buyer.updated_at else None
    row = GuestKey.get_or_none(
        (GuestKey.source == source_id)
        & (GuestKey.website_id == buyer.website_id)
        & (GuestKey.email == buyer.email)
    )
    if row is None:
        GuestKey.create(
            source=source_id,
            website_id=buyer.website_id,
            email=buyer.email,
            latest_order_id=buyer.order_id,
            order_updated_at=changed,
        )
    elif buyer.order_id >= row.latest_order_id:
        row.latest_order_id, row.order_updated_at, row.updated_at = (
            buyer.order_id,
            changed,
            utcnow(),
        )
        row.save()


def guest_keys(source_id: int, after_id: int, limit: int) -> list[int]:
    """GuestKey row ids of a source in id order, for enumeration."""
    query = (
        GuestKey.select(GuestKey.id)
        .where((GuestKey.source == source_id) & (GuestKey.id > after_id))
        .order_by(GuestKey.id)
        .limit(limit)
    )
    return [row.id for row in query]


def guest_drafts(deps: ExportDeps, keys: list[str]) -> dict[str, Drafts | Outcome]:
    """The batch's guests from their latest orders, fetched in one call; each fails alone."""
    ids = [BatchKey.parse(k).row_id for k in keys]
    rows = {row.id: row for row in GuestKey.select().where(GuestKey.id.in_(ids))}
    records = deps.magento.guests.read([row.latest_order_id for row in rows.values()])
    buyers = {b.order_id if isinstance(b, GuestBuyer) else b.record_id: b for b in records}
    drafts: dict[str, Drafts | Outcome] = {}
    for key, row_id in zip(keys, ids, strict=True):
        row = rows.get(row_id)
        buyer = buyers.get(row.latest_order_id) if row is not None else None
        if isinstance(buyer, GuestBuyer):
            drafts[key] = draft_guest(deps, buyer)
        elif buyer is not None:
            drafts[key] = refused(buyer.error())
        else:
            drafts[key] = missing(records, "the guest's order is gone from Magento")
    return drafts
