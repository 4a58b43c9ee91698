"""Running a parsed search over a collection of generated records, as Magento's SQL would.

String comparisons ignore letter case, like MySQL's default collation. A filter on NULL
matches nothing except ``null``. Filters on the id narrow the scanned range, and fields
listed as cheap are read without building the whole record.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sandbox.magento.criteria import Filter, SearchCriteria
from sandbox.magento.errors import MagentoError

_LOWER_BOUNDS = {"gt": 1, "gteq": 0, "moreq": 0, "from": 0, "eq": 0}
_UPPER_BOUNDS = {"lt": -1, "lteq": 0, "to": 0, "eq": 0}


class Collection(Protocol):
    """What the search needs from an entity type (customers, orders)."""

    name: str
    id_fields: frozenset[str]
    cheap_fields: frozenset[str]

    @property
    def version(self) -> int:
        """Changes whenever the records change (mutations, deletions)."""

    def candidate_ids(self, low: int, high: int | None) -> Iterable[int]: ...

    def count(self, low: int, high: int | None) -> int: ...

    def cheap(self, entity_id: int) -> Mapping[str, Any]: ...

    def full(self, entity_id: int) -> Mapping[str, Any]: ...

    def value(self, record: Mapping[str, Any], field: str) -> Any: ...


@dataclass(frozen=True)
class Paging:
    """How the emulated Magento pages: 2.4 answers empty past the end, 2.3 the last page."""

    past_end: str = "empty"  # or "repeat_last"
    input_limits: bool = False
    max_page_size: int = 300
    default_page_size: int = 20


@dataclass(frozen=True)
class SearchResult:
    ids: list[int]
    total_count: int


@lru_cache(maxsize=256)
def _like_pattern(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _compare(actual: Any, raw: str) -> int:
    """-1, 0 or 1 for actual versus the filter text, numerically when the column is."""
    if isinstance(actual, bool | int | float):
        try:
            number = float(raw)
        except ValueError:
            pass
        else:
            return (actual > number) - (actual < number)
    left, right = _text(actual).casefold(), raw.casefold()
    return (left > right) - (left < right)


def matches(condition: str, actual: Any, raw: str) -> bool:
    """Whether a record's value satisfies one filter."""
    if condition == "null":
        return actual is None
    if condition == "notnull":
        return actual is not None
    if actual is None:
        return False  # SQL: comparing with NULL is never true
    if condition in ("in", "nin"):
        found = any(_compare(actual, item.strip()) == 0 for item in raw.split(","))
        return found if condition == "in" else not found
    if condition in ("like", "nlike"):
        hit = _like_pattern(raw).fullmatch(_text(actual)) is not None
        return hit if condition == "like" else not hit
    if condition in ("finset", "nfinset"):
        members = [part.strip().casefold() for part in _text(actual).split(",")]
        hit = raw.strip().casefold() in members
        return hit if condition == "finset" else not hit
    order = _compare(actual, raw)
    return {
        "eq": order == 0,
        "neq": order != 0,
        "gt": order > 0,
        "gteq": order >= 0,
        "moreq": order >= 0,
        "from": order >= 0,
        "lt": order < 0,
        "lteq": order <= 0,
        "to": order <= 0,
    }[condition]


def _id_bound(collection: Collection, group: list[Filter]) -> tuple[str, int] | None:
    """(condition, integer bound) when the group is a single range filter on the id."""
    if len(group) != 1 or group[0].field not in collection.id_fields:
        return None
    only = group[0]
    if only.condition not in _LOWER_BOUNDS and only.condition not in _UPPER_BOUNDS:
        return None
    try:
        return only.condition, math.floor(float(only.value))
    except ValueError:
        return None


def _id_range(collection: Collection, groups: list[list[Filter]]) -> tuple[int, int | None]:
    low, high = 0, None
    for group in groups:
        found = _id_bound(collection, group)
        if found is not None:
            condition, bound = found
            if condition in _LOWER_BOUNDS:
                low = max(low, bound + _LOWER_BOUNDS[condition])
            if condition in _UPPER_BOUNDS:
                edge = bound + _UPPER_BOUNDS[condition]
                high = edge if high is None else min(high, edge)
    return low, high


class _Record:
    """One candidate: cheap fields first, the whole record only when a filter needs it."""

    __slots__ = ("_collection", "_full", "entity_id")

    def __init__(self, collection: Collection, entity_id: int) -> None:
        self._collection = collection
        self._full: Mapping[str, Any] | None = None
        self.entity_id = entity_id

    def get(self, field: str) -> Any:
        collection = self._collection
        if field in collection.id_fields:
            return self.entity_id
        if field in collection.cheap_fields:
            return collection.cheap(self.entity_id).get(field)
        if self._full is None:
            self._full = collection.full(self.entity_id)
        return collection.value(self._full, field)


def _sort_key(getter: Callable[[str], Any], field: str) -> tuple[int, Any]:
    value = getter(field)
    if value is None:
        return (0, 0)  # NULLs first when ascending, as MySQL sorts them
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (2, _text(value).casefold())


def _in_id_order(collection: Collection, criteria: SearchCriteria) -> bool:
    if not all(_id_bound(collection, group) for group in criteria.filter_groups):
        return False
    orders = criteria.sort_orders
    return not orders or (
        len(orders) == 1 and orders[0].field in collection.id_fields and not orders[0].descending
    )


def _page_number(requested: int | None, page_size: int | None, total: int, paging: Paging) -> int:
    page = max(requested or 1, 1)
    beyond = bool(page_size and page_size > 0 and total and (page - 1) * page_size >= total)
    if beyond and page_size and paging.past_end == "repeat_last":
        return math.ceil(total / page_size)  # Magento <= 2.3 clamped to the last page
    return page


def _record_key(field: str, record: _Record) -> tuple[int, Any]:
    return _sort_key(record.get, field)


def run_search(
    collection: Collection,
    criteria: SearchCriteria,
    paging: Paging,
    cache: ResultCache | None = None,
) -> SearchResult:
    """Filter, sort and page; ids of the requested page plus the unpaged total."""
    page_size = criteria.page_size
    if paging.input_limits:
        if page_size is None:
            page_size = paging.default_page_size
        elif page_size > paging.max_page_size:
            raise MagentoError(
                400, "Maximum SearchCriteria pageSize is %max", {"max": paging.max_page_size}
            )
    low, high = _id_range(collection, criteria.filter_groups)
    if _in_id_order(collection, criteria):
        # Keyset paging (entity_id > last, sorted by id) must stay cheap on big stores:
        # count the range and read just the page, without visiting every record.
        total = collection.count(low, high)
        page = _page_number(criteria.current_page, page_size, total, paging)
        if not page_size or page_size < 0:
            return SearchResult(list(collection.candidate_ids(low, high)), total)
        start = (page - 1) * page_size
        page_ids = itertools.islice(collection.candidate_ids(low, high), start, start + page_size)
        return SearchResult(list(page_ids), total)
    key = (
        collection.name,
        collection.version,
        tuple(tuple(group) for group in criteria.filter_groups),
        tuple(criteria.sort_orders),
    )
    found = cache.get(key) if cache is not None else None
    if found is None:
        found = _filter_and_sort(collection, criteria, low, high)
        if cache is not None:
            cache.put(key, found)
    total = len(found)
    if not page_size or page_size < 0:
        return SearchResult(list(found), total)
    start = (_page_number(criteria.current_page, page_size, total, paging) - 1) * page_size
    return SearchResult(list(found[start : start + page_size]), total)


def _listed_ids(collection: Collection, groups: list[list[Filter]]) -> set[int] | None:
    """The ids named by ``entity_id in (...)`` groups, or None when no group lists ids."""
    listed: set[int] | None = None
    for group in groups:
        if (
            len(group) == 1
            and group[0].field in collection.id_fields
            and group[0].condition == "in"
        ):
            ids = {int(v) for v in group[0].value.split(",") if v.strip().isdigit()}
            listed = ids if listed is None else listed & ids
    return listed


def _candidates(
    collection: Collection, groups: list[list[Filter]], low: int, high: int | None
) -> Iterable[int]:
    # Fetching a batch by ids must not visit every record of a big store: only the listed
    # ids that exist are candidates (the filters still run on them below).
    listed = _listed_ids(collection, groups)
    if listed is None:
        return collection.candidate_ids(low, high)
    return [
        i
        for i in sorted(listed)
        if i >= low and (high is None or i <= high) and collection.count(i, i)
    ]


def _filter_and_sort(
    collection: Collection, criteria: SearchCriteria, low: int, high: int | None
) -> tuple[int, ...]:
    hits: list[_Record] = []
    for entity_id in _candidates(collection, criteria.filter_groups, low, high):
        record = _Record(collection, entity_id)
        if all(
            any(matches(f.condition, record.get(f.field), f.value) for f in group)
            for group in criteria.filter_groups
        ):
            hits.append(record)
    for order in reversed(criteria.sort_orders):  # stable sorts, last key first
        hits.sort(key=functools.partial(_record_key, order.field), reverse=order.descending)
    return tuple(r.entity_id for r in hits)


class ResultCache:
    """The last few filtered, sorted id lists: paging through one search scans once.

    Keys carry the collection's version, so a mutation or deletion is never served stale.
    """

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[int, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[int, ...] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, ids: tuple[int, ...]) -> None:
        with self._lock:
            self._entries[key] = ids
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
