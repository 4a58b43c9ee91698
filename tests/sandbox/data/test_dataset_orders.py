"""Orders: deterministic, mostly guests, some returning with another address."""

from __future__ import annotations

from collections import defaultdict

from sandbox.data import ORDER_SUMMARY_FIELDS, Dataset, DatasetConfig, build_order


def test_orders_are_pure_functions_of_seed_and_number() -> None:
    assert build_order(3, 40, 100, 0.05) == build_order(3, 40, 100, 0.05)
    assert build_order(3, 40, 100, 0.05) != build_order(4, 40, 100, 0.05)


def test_guest_share_returning_buyers_and_registered_links() -> None:
    dataset = Dataset(DatasetConfig(customers=100, orders=400, seed=6))
    orders = [o for n in range(1, 401) if (o := dataset.order(n)) is not None]
    guests = [o for o in orders if o["customer_is_guest"] == 1]
    assert 0.6 < len(guests) / len(orders) < 0.9
    by_email: dict[str, list[dict]] = defaultdict(list)
    for order in guests:
        by_email[order["customer_email"].lower()].append(order)
    returning = [group for group in by_email.values() if len(group) > 1]
    assert len(returning) >= 10
    assert any(len({o["customer_email"] for o in group}) > 1 for group in returning)
    registered = [o for o in orders if o["customer_is_guest"] == 0]
    assert all(1 <= o["customer_id"] <= 100 for o in registered)
    assert dataset.order(401) is None


def test_order_summary_agrees_with_the_order() -> None:
    dataset = Dataset(DatasetConfig(customers=50, orders=120, seed=8))
    for n in range(1, 121):
        order = dataset.order(n)
        assert order is not None
        summary = dataset.order_summary(n)
        for field in ORDER_SUMMARY_FIELDS:
            assert summary[field] == order[field]
        assert summary.get("customer_id") == order.get("customer_id")
