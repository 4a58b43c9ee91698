"""How fast the Magento sandbox makes data: customers/s, orders/s, search pages/s over HTTP.

Run: ``.venv/bin/python bench/magento_dataset.py [--customers 20000] [--seed 1]``
"""

from __future__ import annotations

import argparse
import time

import httpx

from sandbox.data import build_customer, build_order
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import serve_in_thread

PAGE_SIZE = 300


def _rate(count: int, started: float) -> float:
    return count / (time.perf_counter() - started)


def _criteria(field: str, value: str, condition: str, sorts: list[str]) -> dict[str, str]:
    params = {
        "searchCriteria[filter_groups][0][filters][0][field]": field,
        "searchCriteria[filter_groups][0][filters][0][value]": value,
        "searchCriteria[filter_groups][0][filters][0][condition_type]": condition,
        "searchCriteria[pageSize]": str(PAGE_SIZE),
    }
    for position, sort_field in enumerate(sorts):
        params[f"searchCriteria[sortOrders][{position}][field]"] = sort_field
        params[f"searchCriteria[sortOrders][{position}][direction]"] = "ASC"
    return params


def _walk(base_url: str, keyset: bool) -> tuple[int, int, float]:
    """Read every customer: keyset (entity_id > last) or by page sorted by updated_at."""
    headers = {"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"}
    last, page, seen = 0, 1, 0
    started = time.perf_counter()
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        while True:
            if keyset:
                params = _criteria("entity_id", str(last), "gt", ["entity_id"])
            else:
                params = _criteria(
                    "updated_at", "2000-01-01 00:00:00", "gteq", ["updated_at", "entity_id"]
                )
                params["searchCriteria[currentPage]"] = str(page)
            response = client.get("/rest/V1/customers/search", params=params)
            response.raise_for_status()
            items = response.json()["items"]
            if not items:
                return page - 1, seen, _rate(seen, started)
            seen += len(items)
            last = items[-1]["id"]
            page += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dirty-share", type=float, default=0.05)
    args = parser.parse_args()

    build_customer(args.seed, 1, args.dirty_share)  # build the Faker instances first
    started = time.perf_counter()
    for index in range(1, args.customers + 1):
        build_customer(args.seed, index, args.dirty_share)
    print(f"customers generated per second: {_rate(args.customers, started):,.0f}")

    started = time.perf_counter()
    for number in range(1, args.orders + 1):
        build_order(args.seed, number, args.customers, args.dirty_share)
    print(f"orders generated per second:    {_rate(args.orders, started):,.0f}")

    config = MagentoSandboxConfig(customers=args.customers, seed=args.seed, orders=args.orders)
    with serve_in_thread(create_app(config)) as server:
        for label, keyset in (("keyset (entity_id > last)", True), ("by updated_at", False)):
            pages, seen, rate = _walk(server.base_url, keyset)
            print(
                f"customers/search {label}: {seen:,} customers in {pages} pages "
                f"of {PAGE_SIZE}, {rate:,.0f} customers/s over HTTP"
            )


if __name__ == "__main__":
    main()
