"""Parsing ``searchCriteria[...]`` query strings into filters, sort orders and paging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.magento.errors import MagentoError, invalid_value

CONDITION_TYPES = frozenset(
    {
        "eq",
        "neq",
        "gt",
        "gteq",
        "moreq",
        "lt",
        "lteq",
        "in",
        "nin",
        "like",
        "nlike",
        "null",
        "notnull",
        "from",
        "to",
        "finset",
        "nfinset",
    }
)

_ROOT = "searchCriteria"
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition: str = "eq"


@dataclass(frozen=True)
class SortOrder:
    field: str
    descending: bool = False


@dataclass
class SearchCriteria:
    """What a search asked for; ``echo`` is the ``search_criteria`` Magento sends back."""

    filter_groups: list[list[Filter]] = field(default_factory=list)
    sort_orders: list[SortOrder] = field(default_factory=list)
    page_size: int | None = None
    current_page: int | None = None
    echo: dict[str, Any] = field(default_factory=dict)


def _snake(key: str) -> str:
    # Magento's input processor accepts both spellings: filterGroups and filter_groups.
    return _CAMEL.sub("_", key).lower()


def _nest(pairs: Iterable[tuple[str, str]]) -> tuple[bool, dict[str, Any]]:
    found = False
    tree: dict[str, Any] = {}
    for key, value in pairs:
        if key != _ROOT and not key.startswith(_ROOT + "["):
            continue
        found = True
        parts = [_snake(part) for part in _BRACKETS.findall(key[len(_ROOT) :])]
        if not parts:
            continue  # a bare searchCriteria= means "no criteria"
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return found, tree


def _ordered(node: Any) -> list[Any]:
    if not isinstance(node, dict):
        return []
    return [
        node[k]
        for k in sorted(node, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))
    ]


def _integer(name: str, raw: Any) -> int:
    try:
        return int(str(raw))
    except ValueError:
        raise invalid_value(name, raw) from None


def parse_search_criteria(pairs: Iterable[tuple[str, str]]) -> SearchCriteria:
    """Read the query parameters of a search; a missing ``searchCriteria`` is a 400."""
    found, tree = _nest(pairs)
    if not found:
        raise MagentoError(
            400, '"%fieldName" is required. Enter and try again.', {"fieldName": _ROOT}
        )
    criteria = SearchCriteria()
    echo_groups = []
    for group in _ordered(tree.get("filter_groups")):
        filters = []
        for raw in _ordered(group.get("filters") if isinstance(group, dict) else None):
            if not isinstance(raw, dict) or "field" not in raw:
                continue
            condition = (raw.get("condition_type") or "eq").lower()
            if condition not in CONDITION_TYPES:
                raise invalid_value("condition_type", condition)
            filters.append(Filter(raw["field"], raw.get("value", ""), condition))
        if filters:
            criteria.filter_groups.append(filters)
            echo_groups.append(
                {
                    "filters": [
                        {"field": f.field, "value": f.value, "condition_type": f.condition}
                        for f in filters
                    ]
                }
            )
    criteria.echo["filter_groups"] = echo_groups
    for raw in _ordered(tree.get("sort_orders")):
        if isinstance(raw, dict) and raw.get("field"):
            direction = str(raw.get("direction") or "ASC").upper()
            criteria.sort_orders.append(SortOrder(raw["field"], direction == "DESC"))
    if criteria.sort_orders:
        criteria.echo["sort_orders"] = [
            {"field": s.field, "direction": "DESC" if s.descending else "ASC"}
            for s in criteria.sort_orders
        ]
    if "page_size" in tree:
        criteria.page_size = _integer("pageSize", tree["page_size"])
        criteria.echo["page_size"] = criteria.page_size
    if "current_page" in tree:
        criteria.current_page = _integer("currentPage", tree["current_page"])
        criteria.echo["current_page"] = criteria.current_page
    return criteria
