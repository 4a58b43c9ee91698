"""What a naive connector would send for the same Magento customers, to compare against.

The naive connector keeps no state between runs: for every customer, on every run, it looks
the contact up by e-mail (one read), writes the contact (one write) and writes each address
once per address type it carries (default billing, default shipping; an address with neither
still gets one write). It creates no company accounts. Its calls are counted from the
customers the Magento sandbox serves over HTTP, so both connectors see the same dataset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN

PAGE_SIZE = 300


@dataclass(frozen=True)
class NaiveRun:
    """The calls of one naive run over every registered customer."""

    customers: int
    reads: int
    writes: int

    @property
    def calls(self) -> int:
        return self.reads + self.writes


def customers(base_url: str) -> Iterator[dict[str, Any]]:
    """Every registered customer of the Magento sandbox, by ascending id."""
    headers = {"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"}
    last = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        while True:
            params = {
                "searchCriteria[filter_groups][0][filters][0][field]": "entity_id",
                "searchCriteria[filter_groups][0][filters][0][value]": str(last),
                "searchCriteria[filter_groups][0][filters][0][condition_type]": "gt",
                "searchCriteria[sortOrders][0][field]": "entity_id",
                "searchCriteria[sortOrders][0][direction]": "ASC",
                "searchCriteria[pageSize]": str(PAGE_SIZE),
            }
            answer = client.get("/rest/V1/customers/search", params=params)
            answer.raise_for_status()
            items = answer.json()["items"]
            if not items:
                return
            yield from items
            last = items[-1]["id"]


def writes_for(customer: dict[str, Any]) -> int:
    """The contact write and one write per address and address type."""
    per_address = (
        max(1, int(bool(a.get("default_billing"))) + int(bool(a.get("default_shipping"))))
        for a in customer.get("addresses") or []
    )
    return 1 + sum(per_address)


def naive_run(base_url: str) -> NaiveRun:
    """Count one naive run over the Magento sandbox at ``base_url``."""
    count = writes = 0
    for customer in customers(base_url):
        count += 1
        writes += writes_for(customer)
    return NaiveRun(customers=count, reads=count, writes=writes)
