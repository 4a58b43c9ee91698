"""Enumeration: the keys of a run, written into batches a chunk at a time.

Customer ids come from Magento in id-only, keyset-paged lists, so a store of any size is
enumerated in constant memory; the cursor (last id) is committed with each chunk's batches.
A run with a limit ends its enumeration as soon as it holds that many keys.
"""

from __future__ import annotations

from itertools import islice

from core.db.models import CustomerLink, GuestKey, Run
from core.export import queue, runs
from core.export.deps import ExportDeps
from core.export.enumerate_recent import commit_chunk, is_time_cursor, recent_chunk, start_cursor
from core.export.guests import guest_keys, sync_guest_keys
from core.export.identity import Cursor, guest_batch_key, guest_key
from core.export.links import find_link
from core.profiles.service import profile_settings

CHUNK = 5_000


def enumerate_chunk(deps: ExportDeps, run: Run, batch_size: int, chunk: int = CHUNK) -> bool:
    """Add the next chunk of the run's keys as batches; True when enumeration is complete.

    Customers come first (cursor ``c:<last id>``), then guest buyers (``g:<last key row>``),
    whose keys are brought up to date from the guest-order stream when that phase starts.
    """
    options = deps.options
    if options.queue:
        return queue.lease_into_batches(run, batch_size, chunk)
    if options.entity_ids is not None:
        keys = _new_only(deps, [str(i) for i in sorted(set(options.entity_ids))])
        runs.add_batches(run.id, keys[: _room(deps, run)], batch_size, done=True)
        return True
    if not run.cursor and profile_settings(run.profile).customer.export_order == "recent_first":
        run.cursor = start_cursor()
    if is_time_cursor(run.cursor):
        return _recent_chunk(deps, run, batch_size, chunk)
    cursor = Cursor.parse(run.cursor)
    if cursor.entity_type == "customer":
        return _customer_chunk(deps, run, batch_size, chunk, cursor.after)
    return _guest_chunk(deps, run, batch_size, chunk, cursor.after)


def _customer_chunk(deps: ExportDeps, run: Run, size: int, chunk: int, start_after: int) -> bool:
    pages = deps.magento.customers.iter_ids(start_after=start_after)
    taken: list[int] = []
    exhausted = True
    try:
        for page in pages:
            taken += page
            if len(taken) >= chunk:
                exhausted = False
                break
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()
    keys = _new_only(deps, [str(i) for i in taken])
    room = _room(deps, run)
    if room is not None and len(keys) >= room:
        keys = keys[:room]
        last = int(keys[-1]) if keys else start_after
        runs.add_batches(run.id, keys, size, cursor=str(Cursor("customer", last)), done=True)
        return True
    if not exhausted:
        runs.add_batches(run.id, keys, size, cursor=str(Cursor("customer", max(taken))))
        return False
    if not _wants_guests(deps, run):
        runs.add_batches(
            run.id,
            keys,
            size,
            cursor=str(Cursor("customer", max(taken, default=start_after))),
            done=True,
        )
        return True
    runs.add_batches(run.id, keys, size, cursor=str(Cursor("guest", 0)))
    sync_guest_keys(run.profile.source_id, deps.magento)
    return False


def _recent_chunk(deps: ExportDeps, run: Run, size: int, chunk: int) -> bool:
    """Customers most recently changed first; then guests as in the id order."""
    keys, cursor = recent_chunk(
        deps, run, chunk, lambda ids: _new_only(deps, [str(i) for i in ids])
    )
    room = _room(deps, run)
    if cursor is not None:
        return commit_chunk(run, keys, size, cursor, room)
    if room is not None and len(keys) >= room:
        return commit_chunk(run, keys, size, str(run.cursor), room)
    if not _wants_guests(deps, run):
        runs.add_batches(run.id, keys, size, cursor=str(run.cursor), done=True)
        return True
    runs.add_batches(run.id, keys, size, cursor=str(Cursor("guest", 0)))
    sync_guest_keys(run.profile.source_id, deps.magento)
    return False


def _room(deps: ExportDeps, run: Run) -> int | None:
    """How many more keys a run with a limit may take; None without a limit."""
    if deps.options.limit is None:
        return None
    held = Run.select(Run.total).where(Run.id == run.id).scalar() or 0
    return max(0, deps.options.limit - int(held))


def _wants_guests(deps: ExportDeps, run: Run) -> bool:
    return deps.options.guests and profile_settings(run.profile).customer.export_guests


def _guest_chunk(deps: ExportDeps, run: Run, size: int, chunk: int, after: int) -> bool:
    ids = guest_keys(run.profile.source_id, after, chunk)
    done = len(ids) < chunk
    keys = [guest_batch_key(i) for i in ids]
    if deps.options.new_only:
        keys = _new_guests_only(deps, ids)
    room = _room(deps, run)
    if room is not None and len(keys) >= room:
        keys, done = keys[:room], True
    runs.add_batches(
        run.id, keys, size, cursor=str(Cursor("guest", max(ids, default=after))), done=done
    )
    return done


def _new_guests_only(deps: ExportDeps, ids: list[int]) -> list[str]:
    rows = GuestKey.select().where(GuestKey.id.in_(ids))
    wanted = []
    for row in rows:
        link = find_link(deps, "guest", guest_key(row.website_id, row.email))
        if link is None or link.state != "linked":
            wanted.append(guest_batch_key(row.id))
    return wanted


def _new_only(deps: ExportDeps, keys: list[str]) -> list[str]:
    """With ``--new-only``, drop customers that already have a contact."""
    if not deps.options.new_only or not keys:
        return keys
    linked: set[str] = set()
    for start in range(0, len(keys), 900):
        part = keys[start : start + 900]
        rows = CustomerLink.select(CustomerLink.entity_key).where(
            (CustomerLink.client == deps.client_id)
            & (CustomerLink.namespace == deps.namespace)
            & (CustomerLink.entity_type == "customer")
            & CustomerLink.entity_key.in_(part)
            & (CustomerLink.state == "linked")
        )
        linked |= {row.entity_key for row in rows}
    return [k for k in keys if k not in linked]


def run_keys(run_id: int, limit: int | None = None) -> list[str]:
    """The keys of a run's batches in their order (for sizing decisions), at most ``limit``."""
    from core.db.models import RunBatch

    keys: list[str] = []
    batches = RunBatch.select(RunBatch.entity_keys).where(RunBatch.run == run_id)
    for batch in batches.order_by(RunBatch.sequence):
        keys += batch.entity_keys
        if limit is not None and len(keys) >= limit:
            return list(islice(keys, limit))
    return keys
