"""Helpers for the Magento emulator tests: building searchCriteria queries."""

from __future__ import annotations

import httpx


def search(
    client: httpx.Client,
    *filter_groups: list[tuple[str, str, str]],
    sort: list[tuple[str, str]] | None = None,
    page_size: int | None = None,
    page: int | None = None,
    path: str = "/rest/V1/customers/search",
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    """GET a search with ``searchCriteria`` built from (field, value, condition) triples."""
    params: dict[str, str] = {"searchCriteria": ""} if not filter_groups else {}
    for g, group in enumerate(filter_groups):
        for f, (field, value, condition) in enumerate(group):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"] = field
            params[f"{prefix}[value]"] = value
            params[f"{prefix}[condition_type]"] = condition
    for s, (field, direction) in enumerate(sort or []):
        params[f"searchCriteria[sortOrders][{s}][field]"] = field
        params[f"searchCriteria[sortOrders][{s}][direction]"] = direction
    if page_size is not None:
        params["searchCriteria[pageSize]"] = str(page_size)
    if page is not None:
        params["searchCriteria[currentPage]"] = str(page)
    params.update(extra or {})
    return client.get(path, params=params)


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
