"""Store structure, groups, gender labels and store-code URLs over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.magento.support import ids, search


def test_websites_store_groups_and_views_include_the_admin_scope(client: httpx.Client) -> None:
    websites = client.get("/rest/V1/store/websites").json()
    views = client.get("/rest/V1/store/storeViews").json()
    groups = client.get("/rest/V1/store/storeGroups").json()
    assert {w["code"] for w in websites} >= {"admin", "base", "dach", "france"}
    assert len([v for v in views if v["id"]]) >= 5
    assert views[0] == {
        "id": 0,
        "code": "admin",
        "name": "Admin",
        "website_id": 0,
        "store_group_id": 0,
        "is_active": 1,
        "extension_attributes": {},
    }
    website_ids = {w["id"] for w in websites}
    assert all(v["website_id"] in website_ids for v in views)
    assert all(g["default_store_id"] in {v["id"] for v in views} for g in groups)


def test_store_configs_name_locales_in_three_languages(client: httpx.Client) -> None:
    locales = {c["locale"][:2] for c in client.get("/rest/V1/store/storeConfigs").json()}
    assert locales == {"en", "de", "fr"}


def test_customer_groups_include_the_custom_one(client: httpx.Client) -> None:
    body = search(client, path="/rest/V1/customerGroups/search").json()
    codes = [g["code"] for g in body["items"]]
    assert codes[:5] == ["NOT LOGGED IN", "General", "Wholesale", "Retailer", "VIP"]
    assert body["total_count"] == len(codes) == 6
    assert client.get("/rest/V1/customerGroups/4").json()["code"] == "VIP"
    assert client.get("/rest/V1/customerGroups/default").json()["id"] == 1
    assert client.get("/rest/V1/customerGroups/99").status_code == 404


def test_gender_metadata_maps_option_ids_to_labels(client: httpx.Client) -> None:
    body = client.get("/rest/V1/attributeMetadata/customer/attribute/gender").json()
    labels = {o["value"]: o["label"] for o in body["options"] if o["value"]}
    assert labels == {"1": "Male", "2": "Female", "3": "Not Specified"}


@pytest.mark.parametrize("code", ["default", "de", "fr", "all"])
def test_store_code_urls_serve_the_same_customers(client: httpx.Client, code: str) -> None:
    plain = ids(search(client, [("entity_id", "10", "lteq")], sort=[("entity_id", "ASC")]))
    scoped = search(
        client,
        [("entity_id", "10", "lteq")],
        sort=[("entity_id", "ASC")],
        path=f"/rest/{code}/V1/customers/search",
    )
    assert ids(scoped) == plain == list(range(1, 11))


def test_unknown_store_code_is_a_route_miss(client: httpx.Client) -> None:
    response = client.get("/rest/nowhere/V1/customers/1")
    assert response.status_code == 404
    assert response.json() == {"message": "Request does not match any route."}


def test_unknown_route_is_a_route_miss(client: httpx.Client) -> None:
    response = client.get("/rest/V1/products/search")
    assert response.status_code == 404
    assert response.json() == {"message": "Request does not match any route."}
