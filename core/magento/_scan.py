"""Keyset scans over Magento searches: constant cost per page however large the store.

Every page asks for ``currentPage=1`` of "after the last key seen", so Magento never
computes a deep offset, and the version-dependent behaviour past the last page (2.4 answers
with no items, 2.3 repeats the last page) cannot arise: the scan ends on an empty or short
page. A shop that ignores the filter or the sort would make a keyset scan skip or repeat
records, so answers out of order stop the scan with a ``ConfigError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from core.errors import ConfigError, DataError
from core.magento._cursor import ChangePage, UpdatedCursor
from core.magento._search import MAGENTO_TIME, Condition, Filter, Search, magento_time

Item = dict[str, Any]
Fetch = Callable[[Search], tuple[list[Item], int | None]]


def _ended(items: list[Item], total: int | None, page_size: int) -> bool:
    # With keyset paging, total_count counts what is still ahead of the key.
    return len(items) < page_size or (total is not None and total <= len(items))


def _id(item: Item, key: str) -> int:
    try:
        return int(item[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"a Magento record has no usable {key!r}") from exc


def _time(item: Item, field: str) -> datetime:
    try:
        return datetime.strptime(str(item[field]), MAGENTO_TIME).replace(tzinfo=UTC)
    except (KeyError, ValueError) as exc:
        raise DataError(f"Magento record {item.get('id')} has no usable {field!r}") from exc


def _out_of_order(what: str) -> ConfigError:
    return ConfigError(
        f"the shop answered {what} out of order, so it ignores a filter or sort order; "
        "paging through it would miss records"
    )


def scan_by_id(
    fetch: Fetch,
    *,
    page_size: int,
    key: str,
    fields: str | None,
    filters: tuple[Filter, ...] = (),
    start_after: int = 0,
) -> Iterator[list[Item]]:
    """Pages of records in ascending ``entity_id`` order, after ``start_after``."""
    last = start_after
    while True:
        search = Search(
            filters=(*filters, Filter("entity_id", str(last), "gt")),
            sort=(("entity_id", "ASC"),),
            page_size=page_size,
            fields=fields,
        )
        items, total = fetch(search)
        if not items:
            return
        ids = [_id(item, key) for item in items]
        if ids[0] <= last or any(a >= b for a, b in pairwise(ids)):
            raise _out_of_order(f"ids after {last}")
        yield items
        last = ids[-1]
        if _ended(items, total, page_size):
            return


def scan_by_page(
    fetch: Fetch, *, page_size: int, key: str, sort_field: str
) -> Iterator[list[Item]]:
    """Pages by page number, for short lists whose endpoint has no filterable entity_id.

    Ends on an empty page (2.4), once ``total_count`` records arrived, or when a page
    brings nothing new (2.3 repeats the last page past the end).
    """
    seen: set[int] = set()
    page_number = 1
    while True:
        search = Search(sort=((sort_field, "ASC"),), page_size=page_size, current_page=page_number)
        items, total = fetch(search)
        fresh = [item for item in items if _id(item, key) not in seen]
        if not fresh:
            return
        seen.update(_id(item, key) for item in fresh)
        yield fresh
        if len(items) < page_size or (total is not None and len(seen) >= total):
            return
        page_number += 1


def scan_changes(
    fetch: Fetch,
    cursor: UpdatedCursor,
    *,
    page_size: int,
    key: str,
    fields: str | None,
    filters: tuple[Filter, ...] = (),
) -> Iterator[ChangePage[Item]]:
    """Pages of records changed since ``cursor``, in (updated_at, id) order.

    Each page asks for ``updated_at >= `` the last second handed out and skips the records
    already handed out in that second (usually one). When a whole page shares one second,
    asking again would return the same page, so that second is walked by id instead
    (``updated_at = t AND id > last``) and the scan goes on with ``updated_at > t``.
    """
    position = cursor
    past_second = False
    while True:
        since = position.since
        condition: Condition = "gt" if past_second else "gteq"
        window = (Filter("updated_at", magento_time(since), condition),) if since else ()
        search = Search(
            filters=(*filters, *window),
            sort=(("updated_at", "ASC"), ("entity_id", "ASC")),
            page_size=page_size,
            fields=fields,
        )
        items, total = fetch(search)
        if not items:
            return
        keys = [(_time(it, "updated_at"), _id(it, key)) for it in items]
        if (since is not None and keys[0][0] < since) or keys != sorted(keys):
            raise _out_of_order("changes")
        fresh = [
            (item, moment, record_id)
            for item, (moment, record_id) in zip(items, keys, strict=True)
            if not position.is_seen(record_id, moment)
        ]
        if fresh:
            position = position.after((record_id, moment) for _, moment, record_id in fresh)
            yield ChangePage([item for item, _, _ in fresh], position)
        if _ended(items, total, page_size):
            return
        past_second = keys[0][0] == keys[-1][0]
        if past_second:
            second, last_id = keys[-1]
            for page in _rest_of_second(fetch, second, last_id, page_size, key, fields, filters):
                unseen = [it for it in page if not position.is_seen(_id(it, key), second)]
                if unseen:
                    position = position.after((_id(it, key), second) for it in unseen)
                    yield ChangePage(unseen, position)


def _rest_of_second(
    fetch: Fetch,
    second: datetime,
    after_id: int,
    page_size: int,
    key: str,
    fields: str | None,
    filters: tuple[Filter, ...],
) -> Iterator[list[Item]]:
    at_second = (*filters, Filter("updated_at", magento_time(second), "eq"))
    for page in scan_by_id(
        fetch,
        page_size=page_size,
        key=key,
        fields=fields,
        filters=at_second,
        start_after=after_id,
    ):
        # A record saved again while we read has left this second; skip it here, the
        # "later" pages hand it out with its new timestamp.
        yield [it for it in page if _time(it, "updated_at") == second]
