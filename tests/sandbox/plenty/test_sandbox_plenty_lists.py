"""The contact list: every filter, ``with=`` relations and the paginated result."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.plenty.support import Api, email_option

PAGE_KEYS = {
    "page",
    "totalsCount",
    "isLastPage",
    "lastPageNumber",
    "firstOnPage",
    "lastOnPage",
    "itemsPerPage",
    "entries",
}


def ids(api: Api, **params: Any) -> list[int]:
    body = api.ok("GET", "/rest/accounts/contacts", params=params)
    return [entry["id"] for entry in body["entries"]]


@pytest.fixture
def people(api: Api) -> dict[str, int]:
    jane = api.create_contact(
        externalId="shop-eu:1",
        number="1",
        firstName="Jane",
        lastName="Doe",
        typeId=1,
        options=[
            email_option("Jane.Doe@Example.com"),
            {"typeId": 1, "subTypeId": 4, "value": "030 123"},
        ],
    )
    john = api.create_contact(
        externalId="2",
        number="2",
        firstName="John",
        lastName="Doe",
        typeId=2,
        options=[email_option("john.doe@example.com")],
        plentyId=12345,
    )
    max_ = api.create_contact(
        firstName="Max",
        lastName="Muster",
        referrerId=4.01,
        options=[email_option("jane.doe@example.com.au")],
    )
    api.ok(
        "POST",
        f"/rest/accounts/contacts/{john['id']}/addresses",
        params={"typeId": 2},
        json={
            "address1": "Hauptstr.",
            "address2": "5",
            "postalCode": "34117",
            "town": "Kassel",
            "countryId": 1,
        },
    )
    return {"jane": jane["id"], "john": john["id"], "max": max_["id"]}


def test_email_is_exact_and_case_insensitive(api: Api, people: dict[str, int]) -> None:
    assert ids(api, email="jane.doe@example.com") == [people["jane"]]
    assert ids(api, email="jane.doe@example") == []


def test_contact_email_is_fuzzy(api: Api, people: dict[str, int]) -> None:
    assert ids(api, contactEmail="JANE.DOE@example.com") == [people["jane"], people["max"]]
    assert ids(api, contactEmail="john.doe") == [people["john"]]


def test_external_id_and_number_match_strings_by_default(api: Api, people: dict[str, int]) -> None:
    assert ids(api, externalId="shop-eu:1") == [people["jane"]]
    assert ids(api, externalId="shop-eu") == []
    assert ids(api, number="2") == [people["john"]]


def test_external_id_filter_in_integer_mode(api: Api, people: dict[str, int]) -> None:
    api.configure({"modes": {"external_id_filter": "integer"}})
    refused = api.get("/rest/accounts/contacts", params={"externalId": "shop-eu:1"})
    assert refused.status_code == 422
    assert "externalId" in refused.json()["validation_errors"]
    assert ids(api, externalId="2") == [people["john"]]


def test_id_and_reference_filters(api: Api, people: dict[str, int]) -> None:
    assert ids(api, contactId=people["john"]) == [people["john"]]
    assert ids(api, typeId=2) == [people["john"]]
    assert ids(api, referrerId="4.01") == [people["max"]]
    assert ids(api, plentyId=12345) == sorted(people.values())
    assert ids(api, plentyId=999) == []
    assert ids(api, privatePhone="030") == [people["jane"]]


def test_name_and_full_text_filters(api: Api, people: dict[str, int]) -> None:
    assert ids(api, name="doe") == [people["jane"], people["john"]]
    assert ids(api, nameOrId=str(people["max"])) == [people["max"]]
    assert ids(api, fullText="muster") == [people["max"]]


def test_address_filters(api: Api, people: dict[str, int]) -> None:
    assert ids(api, town="kass") == [people["john"]]
    assert ids(api, postalCode="34117") == [people["john"]]
    assert ids(api, countryId=1) == [people["john"]]
    assert ids(api, contactAddress="hauptstr. 5") == [people["john"]]
    delivery = api.ok("GET", f"/rest/accounts/contacts/{people['john']}/addresses")[0]["id"]
    assert ids(api, deliveryAddressId=delivery) == [people["john"]]
    assert ids(api, billingAddressId=delivery) == []


def test_date_filters(api: Api, people: dict[str, int]) -> None:
    api.http.patch(
        f"/_sandbox/contacts/{people['jane']}",
        json={"fields": {"updatedAt": "2020-05-01T10:00:00+02:00"}},
    )
    all_ids = sorted(people.values())
    assert ids(api, updatedAtBefore="2020-05-01") == [people["jane"]]
    assert ids(api, updatedAtBefore="04/30/2020") == []
    assert ids(api, updatedAtAfter="2020-05-02") == [people["john"], people["max"]]
    assert ids(api, updatedAtAfter="2020-05-01T09:00:00+02:00") == all_ids
    assert ids(api, createdAtAfter="2000-01-01") == all_ids
    bad = api.get("/rest/accounts/contacts", params={"updatedAtAfter": "yesterday"})
    assert bad.status_code == 422


def test_with_relations(api: Api, people: dict[str, int]) -> None:
    plain = api.ok("GET", "/rest/accounts/contacts", params={"contactId": people["john"]})
    assert "addresses" not in plain["entries"][0]
    assert plain["entries"][0]["options"]
    rich = api.ok(
        "GET",
        "/rest/accounts/contacts",
        params={"contactId": people["john"], "with": "addresses,options,accounts"},
    )
    entry = rich["entries"][0]
    assert entry["addresses"][0]["town"] == "Kassel"
    assert entry["addresses"][0]["pivot"]["typeId"] == 2
    assert entry["accounts"] == []
    array_form = api.ok(
        "GET", f"/rest/accounts/contacts/{people['john']}?with[]=addresses&with[]=accounts"
    )
    assert array_form["addresses"][0]["town"] == "Kassel"


def test_pagination_has_all_keys_defaults_to_50_and_clamps_at_250(api: Api) -> None:
    seeded = api.http.post("/_sandbox/contacts", json=[{"typeId": 1, "referrerId": 1}] * 260)
    assert len(seeded.json()["ids"]) == 260
    first = api.ok("GET", "/rest/accounts/contacts")
    assert set(first) == PAGE_KEYS
    assert (first["page"], first["itemsPerPage"], first["totalsCount"]) == (1, 50, 260)
    assert (first["firstOnPage"], first["lastOnPage"], first["lastPageNumber"]) == (1, 50, 6)
    assert first["isLastPage"] is False
    clamped = api.ok("GET", "/rest/accounts/contacts", params={"itemsPerPage": 1000, "page": 2})
    assert clamped["itemsPerPage"] == 250
    assert (clamped["firstOnPage"], clamped["lastOnPage"]) == (251, 260)
    assert clamped["isLastPage"] is True
    assert len(clamped["entries"]) == 10
    past = api.ok("GET", "/rest/accounts/contacts", params={"itemsPerPage": 250, "page": 5})
    assert (past["page"], past["entries"], past["isLastPage"]) == (5, [], True)
    assert (past["firstOnPage"], past["lastOnPage"]) == (0, 0)
    seen = []
    for page in range(1, 7):
        seen += ids(api, page=page)
    assert len(set(seen)) == 260


def test_empty_list(api: Api) -> None:
    body = api.ok("GET", "/rest/accounts/contacts")
    assert (body["totalsCount"], body["entries"], body["isLastPage"]) == (0, [], True)
    assert body["lastPageNumber"] == 1
