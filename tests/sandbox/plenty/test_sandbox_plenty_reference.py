"""Seeded and configurable reference data: classes, types, referrers, webstores, countries."""

from __future__ import annotations

from sandbox.plenty import ReferenceData, SandboxConfig, Webstore
from tests.sandbox.plenty.support import Api, StartEmulator


def test_contact_classes_are_an_id_to_name_map(api: Api) -> None:
    assert api.ok("GET", "/rest/accounts/contacts/classes") == {
        "1": "Endkunde",
        "2": "Händler",
        "3": "Großhandel",
    }
    created = api.ok("POST", "/rest/accounts/contacts/classes", json={"name": "B2B"})
    assert created["id"] == 4
    assert api.ok("GET", "/rest/accounts/contacts/classes/4")["name"] == "B2B"
    assert api.get("/rest/accounts/contacts/classes/99").status_code == 404
    assert api.create_contact(classId=4)["classId"] == 4


def test_types_and_option_types(api: Api) -> None:
    types = api.ok("GET", "/rest/accounts/contacts/types")
    assert [t["id"] for t in types] == [1, 2, 3, 4, 5, 6]
    assert all(t["nonErasable"] == 1 for t in types)
    option_types = api.ok("GET", "/rest/accounts/contacts/option_types")
    assert {t["id"] for t in option_types} == {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13}
    sub_types = api.ok("GET", "/rest/accounts/contacts/option_sub_types")
    assert 11 in {t["id"] for t in sub_types}
    address_types = api.ok("GET", "/rest/accounts/addresses/option_types")
    assert [t["id"] for t in address_types] == list(range(1, 14))
    relation_types = api.ok("GET", "/rest/accounts/addresses/relation_types")
    assert [t["id"] for t in relation_types] == list(range(1, 9))


def test_referrers_list_search_and_create(api: Api) -> None:
    listed = api.ok("GET", "/rest/orders/referrers")
    assert [r["id"] for r in listed] == [0.0, 1.0, 4.01]
    assert api.ok("GET", "/rest/orders/referrers/next_free_main") == {"id": 5}
    created = api.ok(
        "POST", "/rest/orders/referrers", params={"data": "name:Magento EU,isFilterable:false"}
    )
    assert (created["id"], created["name"], created["isFilterable"]) == (5.0, "Magento EU", False)
    sub = api.ok("POST", "/rest/orders/referrers/4.01", params={"data[]": "name:Amazon FR"})
    assert sub["id"] == 4.02
    assert api.ok("GET", "/rest/orders/referrers/4.02")["name"] == "Amazon FR"
    found = api.ok("GET", "/rest/orders/referrers/search", params={"name": "amazon"})
    assert [r["id"] for r in found["entries"]] == [4.01, 4.02]
    assert found["itemsPerPage"] == 20
    assert (
        api.post("/rest/orders/referrers", params={"data": "isFilterable:true"}).status_code == 422
    )
    assert api.post("/rest/orders/referrers/77", params={"data": "name:x"}).status_code == 404
    assert api.create_contact(referrerId=5)["referrerId"] == 5.0
    columns = api.ok("GET", "/rest/orders/referrers", params={"columns": "name"})
    assert set(columns[0]) == {"id", "name"}


def test_webstores_carry_plenty_ids(start_emulator: StartEmulator) -> None:
    reference = ReferenceData(
        webstores=[
            Webstore(id=0, plenty_id=1001, name="DE"),
            Webstore(id=1, plenty_id=1002, name="EN", default_language="en"),
        ],
        contact_classes={7: "Shop"},
    )
    api = start_emulator(SandboxConfig(reference=reference))
    api.login()
    stores = api.ok("GET", "/rest/webstores")
    assert [(s["id"], s["storeIdentifier"]) for s in stores] == [(0, 1001), (1, 1002)]
    assert stores[1]["configuration"]["defaultLanguage"] == "en"
    assert api.ok("GET", "/rest/accounts/contacts/classes") == {"7": "Shop"}
    assert api.create_contact(plentyId=1002)["plentyId"] == 1002
    assert (
        api.post(
            "/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1, "plentyId": 12345}
        ).status_code
        == 422
    )


def test_country_table(api: Api) -> None:
    countries = api.ok("GET", "/rest/orders/shipping/countries")
    by_id = {c["id"]: c for c in countries}
    assert len(countries) == 261
    assert (by_id[1]["isoCode2"], by_id[12]["isoCode2"], by_id[265]["isoCode2"]) == (
        "DE",
        "GB",
        "XI",
    )
    assert by_id[28]["name"] == "USA"
    assert 111 not in by_id
    eu = api.ok("GET", "/rest/orders/shipping/countries", params={"onlyEUCountries": "true"})
    assert len(eu) == 27
    assert 12 not in {c["id"] for c in eu}
    with_states = api.ok("GET", "/rest/orders/shipping/countries", params={"with": "states"})
    assert with_states[0]["states"] == []


def test_languages_are_plentys_codes(api: Api) -> None:
    assert api.create_contact(lang="cz")["lang"] == "cz"
    refused = api.post("/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1, "lang": "cs"})
    assert refused.status_code == 422


def test_reference_data_can_change_at_run_time_without_losing_contacts(api: Api) -> None:
    contact = api.create_contact()
    api.configure(
        {
            "reference": {
                "contact_classes": {"9": "VIP"},
                "referrers": {"1": "Manual", "9.5": "Magento"},
            }
        }
    )
    assert api.ok("GET", "/rest/accounts/contacts/classes") == {"9": "VIP"}
    assert [r["id"] for r in api.ok("GET", "/rest/orders/referrers")] == [1.0, 9.5]
    assert api.ok("GET", f"/rest/accounts/contacts/{contact['id']}")["id"] == contact["id"]
    assert api.create_contact(classId=9, referrerId=9.5)["classId"] == 9
