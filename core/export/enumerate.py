"""Enumeration: the keys of a run, written into batches a chunk at a time.

Customer ids come from Magento in id-only, keyset-paged lists, so a store of any size is
enumerated in constant memory; the cursor (last id) is committed with each chunk's batches.
"""

from __future__ import annotations

from itertools import islice

from core.db.models import CustomerLink, Run
from core.export import runs
from core.export.deps import ExportDeps

CHUNK = 5_000


def enumerate_chunk(deps: ExportDeps, run: Run, batch_size: int, chunk: int = CHUNK) -> bool:
    """Add the next chunk of the run's keys as batches; True when enumeration is complete."""
    options = deps.options
    if options.entity_ids is not None:
        keys = [str(i) for i in sorted(set(options.entity_ids))]
        runs.add_batches(run.id, _new_only(deps, keys), batch_size, done=True)
        return True
    start_after = int(run.cursor or 0)
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
    cursor = str(max(taken)) if taken else run.cursor
    keys = _new_only(deps, [str(i) for i in taken])
    runs.add_batches(run.id, keys, batch_size, cursor=cursor, done=exhausted)
    return exhausted


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
    """The keys of a run's batches (for sizing decisions), at most ``limit``."""
    from core.db.models import RunBatch

    keys: list[str] = []
    for batch in RunBatch.select(RunBatch.entity_keys).where(RunBatch.run == run_id):
        keys += batch.entity_keys
        if limit is not None and len(keys) >= limit:
            return list(islice(keys, limit))
    return keys
