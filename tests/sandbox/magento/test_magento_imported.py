"""The Magento sandbox serving an imported shop: its customers, websites, stores and groups."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, create_app
from sandbox.rehearsal import import_exports
from sandbox.server import serve_in_thread
from tests.sandbox.rehearsal.support import FIXTURE


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    shop = import_exports(FIXTURE).shop
    with (
        serve_in_thread(create_app(imported=shop)) as server,
        httpx.Client(
            base_url=f"{server.base_url}/rest",
            headers={"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"},
        ) as http,
    ):
        yield http


def _search(client: httpx.Client, path: str = "/V1/customers/search", **params: str) -> dict:
    answer = client.get(path, params={"searchCriteria[pageSize]": "100", **params})
    answer.raise_for_status()
    return dict(answer.json())


def test_serves_the_imported_customers_only(client: httpx.Client) -> None:
    found = _search(client)
    assert found["total_count"] == 10
    assert [c["id"] for c in found["items"]] == list(range(1, 11))
    assert found["items"][0]["email"] == "anna.kowalczyk@example.org"
    one = client.get("/V1/customers/6").json()
    assert one["firstname"] == "Jürgen" and one["addresses"][0]["city"] == "München"
    assert client.get("/V1/customers/11").status_code == 404
    assert _search(client, "/V1/orders")["total_count"] == 0


def test_filters_work_on_imported_fields(client: httpx.Client) -> None:
    params = {
        "searchCriteria[filter_groups][0][filters][0][field]": "website_id",
        "searchCriteria[filter_groups][0][filters][0][value]": "3",
    }
    emails = sorted(c["email"] for c in _search(client, **params)["items"])
    assert emails == [
        "claire.dubois@example.fr",
        "compta@atelier-lefevre.example.fr",
        "t.hartmann@example.net",
    ]


def test_websites_stores_and_groups_are_the_shops(client: httpx.Client) -> None:
    websites = client.get("/V1/store/websites").json()
    assert [w["code"] for w in websites] == ["admin", "base", "de_shop", "b2b"]
    views = client.get("/V1/store/storeViews").json()
    assert [(v["id"], v["code"]) for v in views] == [
        (0, "admin"), (1, "default"), (2, "de"), (3, "at"), (4, "b2b_en")
    ]  # fmt: skip
    assert len(client.get("/V1/store/storeConfigs").json()) == 4
    groups = _search(client, "/V1/customerGroups/search")["items"]
    assert [(g["id"], g["code"]) for g in groups][-1] == (4, "Group 4")
    assert client.get("/V1/customerGroups/4").json()["code"] == "Group 4"
    assert client.get("/V1/customerGroups/5").status_code == 404
    assert client.get("/at/V1/store/websites").status_code == 200
    assert client.get("/fr/V1/store/websites").status_code == 404  # not a store of this shop


def test_reset_keeps_the_imported_customers(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/").removesuffix("/rest")
    httpx.post(f"{base}/_sandbox/mutate", json={"ids": [1], "kinds": ["group"]}).raise_for_status()
    assert client.get("/V1/customers/1").json()["group_id"] != 1
    httpx.post(f"{base}/_sandbox/reset").raise_for_status()
    assert client.get("/V1/customers/1").json()["group_id"] == 1
    assert _search(client)["total_count"] == 10


def test_an_imported_shop_has_only_magentos_own_address_attributes(client: httpx.Client) -> None:
    every = client.get("/V1/attributeMetadata/customerAddress").json()
    assert {"firstname", "street", "city", "postcode"} <= {a["attribute_code"] for a in every}
    assert not [a for a in every if a["user_defined"]]
    assert client.get("/V1/attributeMetadata/customerAddress/custom").json() == []
