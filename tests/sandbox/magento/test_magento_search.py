"""customers/search over real HTTP: every condition type, groups, sorting, paging, fields."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.data import Dataset
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import serve_in_thread
from tests.sandbox.magento.support import ids, search

Customer = dict[str, Any]


def _all(reference: Dataset) -> list[Customer]:
    return [c for i in reference.ids() if (c := reference.customer(i)) is not None]


def _categories(c: Customer) -> list[str]:
    for attribute in c.get("custom_attributes", []):
        if attribute["attribute_code"] == "preferred_categories":
            return str(attribute["value"]).split(",")
    return []


CASES: list[tuple[str, str, str, Callable[[Customer], bool]]] = [
    ("website_id", "2", "eq", lambda c: c["website_id"] == 2),
    ("group_id", "1", "neq", lambda c: c["group_id"] != 1),
    ("entity_id", "250", "gt", lambda c: c["id"] > 250),
    ("entity_id", "250", "gteq", lambda c: c["id"] >= 250),
    ("entity_id", "250", "moreq", lambda c: c["id"] >= 250),
    ("entity_id", "20", "lt", lambda c: c["id"] < 20),
    ("entity_id", "20", "lteq", lambda c: c["id"] <= 20),
    ("store_id", "0,4", "in", lambda c: c["store_id"] in (0, 4)),
    ("group_id", "1,2,3", "nin", lambda c: c["group_id"] not in (1, 2, 3)),
    ("email", "%@gmail.com", "like", lambda c: c["email"].lower().endswith("@gmail.com")),
    ("lastname", "M%", "nlike", lambda c: not c["lastname"].lower().startswith("m")),
    ("dob", "", "null", lambda c: "dob" not in c),
    ("taxvat", "", "notnull", lambda c: "taxvat" in c),
    ("created_at", "2021-01-01 05:00:00", "from", lambda c: c["created_at"] >= "2021-01-01 05"),
    ("created_at", "2021-01-01 02:00:00", "to", lambda c: c["created_at"] <= "2021-01-01 02"),
    ("preferred_categories", "7", "finset", lambda c: "7" in _categories(c)),
    (
        "preferred_categories",
        "7",
        "nfinset",
        lambda c: bool(_categories(c)) and "7" not in _categories(c),
    ),
    ("gender", "2", "eq", lambda c: c.get("gender") == 2),
    ("billing_country_id", "US", "eq", lambda c: _billing(c).get("country_id") == "US"),
]


def _billing(c: Customer) -> dict[str, Any]:
    return next((a for a in c["addresses"] if a.get("default_billing")), {})


@pytest.mark.parametrize(("field", "value", "condition", "predicate"), CASES)
def test_every_condition_type_selects_what_magento_would(
    client: httpx.Client,
    reference: Dataset,
    field: str,
    value: str,
    condition: str,
    predicate: Callable[[Customer], bool],
) -> None:
    expected = [c["id"] for c in _all(reference) if predicate(c)]
    response = search(client, [(field, value, condition)], sort=[("entity_id", "ASC")])
    assert ids(response) == expected
    assert response.json()["total_count"] == len(expected)
    assert 0 < len(expected) < reference.config.customers  # the case really discriminates


def test_filters_in_a_group_are_or_and_groups_are_and(
    client: httpx.Client, reference: Dataset
) -> None:
    response = search(
        client,
        [("website_id", "2", "eq"), ("website_id", "3", "eq")],
        [("group_id", "1", "eq")],
        sort=[("entity_id", "ASC")],
    )
    expected = [
        c["id"] for c in _all(reference) if c["website_id"] in (2, 3) and c["group_id"] == 1
    ]
    assert ids(response) == expected
    assert {c["website_id"] for c in response.json()["items"]} == {2, 3}


def test_from_and_to_in_two_groups_make_a_range(client: httpx.Client) -> None:
    response = search(
        client,
        [("entity_id", "100", "from")],
        [("entity_id", "110", "to")],
        sort=[("entity_id", "ASC")],
    )
    assert ids(response) == list(range(100, 111))


def test_sort_orders_apply_in_sequence(client: httpx.Client, reference: Dataset) -> None:
    response = search(client, sort=[("group_id", "DESC"), ("entity_id", "ASC")])
    expected = sorted(_all(reference), key=lambda c: (-c["group_id"], c["id"]))
    assert ids(response) == [c["id"] for c in expected]


def test_sorting_by_a_text_field_ignores_letter_case(client: httpx.Client) -> None:
    names = [c["lastname"] for c in search(client, sort=[("lastname", "ASC")]).json()["items"]]
    assert names == sorted(names, key=str.casefold)
    assert len(names) == 300


def test_paging_walks_every_customer_once(client: httpx.Client) -> None:
    seen: list[int] = []
    for page in range(1, 5):
        response = search(client, sort=[("entity_id", "ASC")], page_size=100, page=page)
        assert response.json()["total_count"] == 300
        seen += ids(response)
    assert seen == list(range(1, 301))


def test_past_the_last_page_magento_24_answers_empty(client: httpx.Client) -> None:
    response = search(client, sort=[("entity_id", "ASC")], page_size=100, page=4)
    assert ids(response) == []
    assert response.json()["total_count"] == 300


def test_past_the_last_page_magento_23_repeats_the_last_page(client: httpx.Client) -> None:
    client.post("/_sandbox/config", json={"past_end": "repeat_last"}).raise_for_status()
    last = ids(search(client, sort=[("entity_id", "ASC")], page_size=70, page=5))
    beyond = ids(search(client, sort=[("entity_id", "ASC")], page_size=70, page=9))
    assert last == beyond == list(range(281, 301))


def test_page_zero_is_page_one(client: httpx.Client) -> None:
    response = search(client, sort=[("entity_id", "ASC")], page_size=5, page=0)
    assert ids(response) == [1, 2, 3, 4, 5]


def test_without_page_size_and_limits_off_everything_comes_back(client: httpx.Client) -> None:
    assert len(ids(search(client))) == 300


def test_input_limits_refuse_big_pages_and_default_to_twenty(client: httpx.Client) -> None:
    client.post("/_sandbox/config", json={"input_limits": True}).raise_for_status()
    refused = search(client, page_size=301)
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "Maximum SearchCriteria pageSize is %max",
        "parameters": {"max": 300},
    }
    assert len(ids(search(client, page_size=300))) == 300
    assert len(ids(search(client))) == 20


def test_missing_search_criteria_is_a_400(client: httpx.Client) -> None:
    response = client.get("/rest/V1/customers/search")
    assert response.status_code == 400
    assert response.json()["parameters"] == {"fieldName": "searchCriteria"}


def test_unknown_condition_type_is_a_400(client: httpx.Client) -> None:
    assert search(client, [("email", "x", "regexp")]).status_code == 400


def test_camel_case_keys_work_like_snake_case(client: httpx.Client) -> None:
    response = client.get(
        "/rest/V1/customers/search",
        params={
            "searchCriteria[filterGroups][0][filters][0][field]": "entity_id",
            "searchCriteria[filterGroups][0][filters][0][value]": "5",
            "searchCriteria[filterGroups][0][filters][0][conditionType]": "lteq",
            "searchCriteria[sort_orders][0][field]": "entity_id",
            "searchCriteria[sort_orders][0][direction]": "DESC",
            "searchCriteria[page_size]": "3",
        },
    )
    assert ids(response) == [5, 4, 3]


def test_search_criteria_is_echoed_with_only_the_sent_keys(client: httpx.Client) -> None:
    echo = search(client, [("email", "%a%", "like")], page_size=2).json()["search_criteria"]
    assert echo == {
        "filter_groups": [
            {"filters": [{"field": "email", "value": "%a%", "condition_type": "like"}]}
        ],
        "page_size": 2,
    }


def test_fields_keeps_only_the_named_parts(client: httpx.Client) -> None:
    response = search(
        client,
        [("entity_id", "3", "lteq")],
        sort=[("entity_id", "ASC")],
        extra={"fields": "items[id,email,addresses[id,city]],total_count"},
    )
    body = response.json()
    assert set(body) == {"items", "total_count"}
    for item in body["items"]:
        assert set(item) == {"id", "email", "addresses"}
        assert all(set(a) == {"id", "city"} for a in item["addresses"])


def test_single_customer_equals_its_search_item(client: httpx.Client, reference: Dataset) -> None:
    one = client.get("/rest/V1/customers/42").json()
    assert one == reference.customer(42)
    listed = search(client, [("entity_id", "42", "eq")]).json()["items"]
    assert listed == [one]


def test_unknown_customer_is_magentos_404(client: httpx.Client) -> None:
    response = client.get("/rest/V1/customers/301")
    assert response.status_code == 404
    assert response.json() == {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "customerId", "fieldValue": 301},
    }


def test_email_eq_ignores_case_like_mysql(client: httpx.Client, reference: Dataset) -> None:
    customer = reference.customer(10)
    assert customer is not None
    response = search(client, [("email", customer["email"].upper(), "eq")])
    assert 10 in ids(response)


def test_a_million_customers_page_without_visiting_them_all() -> None:
    app = create_app(MagentoSandboxConfig(customers=1_000_000, orders=0))
    with serve_in_thread(app) as server:
        headers = {"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as big:
            # Build a page of customers once first: Faker's first use imports a lot.
            search(big, page_size=50)
            tracemalloc.start()
            response = search(
                big,
                sort=[("entity_id", "ASC")],
                page_size=50,
                page=20_000,
                extra={"fields": "items[id],total_count"},
            )
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    assert ids(response) == list(range(999_951, 1_000_001))
    assert response.json()["total_count"] == 1_000_000
    # Visiting a million records would take far more; the page itself needs a few MB.
    assert peak < 40_000_000
