"""Store structure, groups, gender labels and store-code URLs over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from sandbox.data import Dataset
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


def test_address_attribute_metadata_lists_the_custom_attribute(client: httpx.Client) -> None:
    every = client.get("/rest/V1/attributeMetadata/customerAddress").json()
    custom = client.get("/rest/V1/attributeMetadata/customerAddress/custom").json()
    codes = {a["attribute_code"] for a in every}
    assert {"firstname", "street", "postcode", "country_id", "vat_id"} <= codes
    assert [a["attribute_code"] for a in custom] == ["dhl_post_number"]
    assert custom[0]["user_defined"] is True and custom[0]["frontend_label"] == "DHL Postnummer"
    assert all(
        a["user_defined"] is False for a in every if a["attribute_code"] != "dhl_post_number"
    )


def test_some_german_addresses_carry_a_post_number(
    client: httpx.Client, reference: Dataset
) -> None:
    carried = []
    for customer_id in range(1, 120):
        for address in reference.customer(customer_id)["addresses"]:
            for attribute in address.get("custom_attributes", []):
                assert address["country_id"] in ("DE", "AT")
                carried.append((customer_id, attribute))
    assert carried and all(a["attribute_code"] == "dhl_post_number" for _, a in carried)
    customer_id, attribute = carried[0]
    served = client.get(f"/rest/V1/customers/{customer_id}").json()
    assert any(attribute in a.get("custom_attributes", []) for a in served["addresses"])
