"""Magento ``searchCriteria`` query strings: AND-ed filter groups, sort orders, one page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Condition = Literal["eq", "neq", "gt", "gteq", "lt", "lteq", "in", "nin", "like", "null", "notnull"]
Direction = Literal["ASC", "DESC"]

MAGENTO_TIME = "%Y-%m-%d %H:%M:%S"


def magento_time(moment: datetime) -> str:
    """A UTC moment in the form Magento stores and filters timestamps."""
    return moment.strftime(MAGENTO_TIME)


@dataclass(frozen=True)
class Filter:
    """One condition on one field, e.g. ``entity_id gt 500``."""

    field: str
    value: str
    condition: Condition = "eq"


@dataclass(frozen=True)
class Search:
    """One page of a search: every filter is its own group, so all of them must hold.

    ``currentPage`` is always 1 for keyset paging; an explicit sort is always sent because
    Magento has no default order.
    """

    filters: tuple[Filter, ...] = ()
    sort: tuple[tuple[str, Direction], ...] = ()
    page_size: int = 100
    current_page: int = 1
    fields: str | None = None

    def params(self) -> list[tuple[str, str]]:
        """The query parameters, in Magento's bracket syntax."""
        out: list[tuple[str, str]] = []
        for group, flt in enumerate(self.filters):
            prefix = f"searchCriteria[filter_groups][{group}][filters][0]"
            out += [
                (f"{prefix}[field]", flt.field),
                (f"{prefix}[value]", flt.value),
                (f"{prefix}[condition_type]", flt.condition),
            ]
        for index, (name, direction) in enumerate(self.sort):
            out += [
                (f"searchCriteria[sortOrders][{index}][field]", name),
                (f"searchCriteria[sortOrders][{index}][direction]", direction),
            ]
        out += [
            ("searchCriteria[pageSize]", str(self.page_size)),
            ("searchCriteria[currentPage]", str(self.current_page)),
        ]
        if self.fields:
            out.append(("fields", self.fields))
        return out
