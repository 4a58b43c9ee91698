"""Addresses: create and link, de-duplication, primary flags, updates, options, relations."""

from __future__ import annotations

from typing import Any

from tests.sandbox.plenty.support import Api

HOME = {
    "gender": "female",
    "name2": "Jane",
    "name3": "Doe",
    "address1": "Hauptstraße",
    "address2": "15",
    "postalCode": "34117",
    "town": "Kassel",
    "countryId": 1,
}


def add(api: Api, contact_id: int, body: dict[str, Any], **params: Any) -> dict[str, Any]:
    return api.ok(
        "POST", f"/rest/accounts/contacts/{contact_id}/addresses", params=params, json=body
    )


def relations(api: Api, contact_id: int) -> list[dict[str, Any]]:
    body = api.ok(
        "GET", "/rest/accounts/addresses/contact_relations", params={"contactId": contact_id}
    )
    return body["entries"]


def test_create_and_link_with_aliases_and_options(api: Api) -> None:
    contact = api.create_contact()
    options = [
        {"typeId": 5, "value": "jane@example.com"},
        {"typeId": 4, "value": "0561 1"},
        {"typeId": 1, "value": "DE123456789"},
        {"typeId": 2, "value": "shop-eu:addr:9"},
    ]
    address = add(
        api,
        contact["id"],
        {**HOME, "name1": "ACME", "options": options},
        typeId=1,
        isPrimary="true",
    )
    assert (address["firstName"], address["lastName"], address["companyName"]) == (
        "Jane",
        "Doe",
        "ACME",
    )
    assert (address["street"], address["houseNumber"]) == ("Hauptstraße", "15")
    assert address["email"] == "jane@example.com"
    assert address["phone"] == "0561 1"
    assert address["taxIdNumber"] == "DE123456789"
    assert address["externalId"] == "shop-eu:addr:9"
    assert address["isPackstation"] is False
    assert {o["typeId"] for o in address["options"]} == {1, 2, 4, 5}
    assert relations(api, contact["id"]) == [
        {
            "id": 1,
            "contactId": contact["id"],
            "addressId": address["id"],
            "typeId": 1,
            "isPrimary": True,
        },
    ]


def test_type_may_come_in_the_body_and_is_required(api: Api) -> None:
    contact = api.create_contact()
    address = add(api, contact["id"], {**HOME, "typeId": 2, "isPrimary": 1})
    assert relations(api, contact["id"])[0]["typeId"] == 2
    assert relations(api, contact["id"])[0]["isPrimary"] is True
    missing = api.post(f"/rest/accounts/contacts/{contact['id']}/addresses", json=HOME)
    assert missing.status_code == 422
    assert "typeId" in missing.json()["validation_errors"]
    incomplete = api.post(
        f"/rest/accounts/contacts/{contact['id']}/addresses",
        params={"typeId": 1},
        json={"name2": "X"},
    )
    assert set(incomplete.json()["validation_errors"]) == {"town", "countryId"}
    wrong_country = api.post(
        f"/rest/accounts/contacts/{contact['id']}/addresses",
        params={"typeId": 1},
        json={**HOME, "countryId": 111},
    )
    assert wrong_country.status_code == 422
    assert address["id"] > 0


def test_identical_address_is_relinked_not_duplicated(api: Api) -> None:
    contact = api.create_contact()
    billing = add(api, contact["id"], HOME, typeId=1, isPrimary=True)
    # Letter case and spacing do not make an address different; options do not either.
    same = {**HOME, "town": "  KASSEL ", "options": [{"typeId": 4, "value": "0561 2"}]}
    delivery = add(api, contact["id"], same, typeId=2, isPrimary=True)
    assert delivery["id"] == billing["id"]
    assert delivery["phone"] == "0561 2"
    assert [(r["typeId"], r["addressId"]) for r in relations(api, contact["id"])] == [
        (1, billing["id"]),
        (2, billing["id"]),
    ]
    again = add(api, contact["id"], HOME, typeId=2)
    assert again["id"] == billing["id"]
    assert len(relations(api, contact["id"])) == 2
    other = add(api, contact["id"], {**HOME, "address2": "16"}, typeId=2)
    assert other["id"] != billing["id"]
    stats = api.stats()
    assert (stats["addresses"], stats["address_relations"]) == (2, 3)
    # Another contact with the same address gets its own copy.
    stranger = api.create_contact()
    assert add(api, stranger["id"], HOME, typeId=1)["id"] not in (billing["id"], other["id"])


def test_one_primary_per_type(api: Api) -> None:
    contact = api.create_contact()
    first = add(api, contact["id"], HOME, typeId=2, isPrimary=True)
    second = add(api, contact["id"], {**HOME, "town": "Berlin"}, typeId=2, isPrimary=True)
    flags = {r["addressId"]: r["isPrimary"] for r in relations(api, contact["id"])}
    assert flags == {first["id"]: False, second["id"]: True}
    path = f"/rest/accounts/contacts/{contact['id']}/addresses/{first['id']}/types/2"
    made = api.ok("PUT", f"{path}/primary")
    assert made["isPrimary"] is True
    flags = {r["addressId"]: r["isPrimary"] for r in relations(api, contact["id"])}
    assert flags == {first["id"]: True, second["id"]: False}
    assert api.ok("PUT", f"{path}/reset_primary")["isPrimary"] is False
    primary = api.ok("GET", f"/rest/accounts/contacts/{contact['id']}/addresses/primary")
    assert set(primary) == {"2"}


def test_listing_a_contacts_addresses(api: Api) -> None:
    contact = api.create_contact()
    billing = add(api, contact["id"], HOME, typeId=1)
    delivery = add(api, contact["id"], {**HOME, "town": "Berlin"}, typeId=2)
    base = f"/rest/accounts/contacts/{contact['id']}/addresses"
    assert [a["id"] for a in api.ok("GET", base)] == [billing["id"], delivery["id"]]
    assert [a["id"] for a in api.ok("GET", f"{base}/2")] == [delivery["id"]]
    paged = api.ok("GET", base, params={"page": 1})
    assert (paged["itemsPerPage"], paged["totalsCount"]) == (1000, 2)


def test_update_changes_fields_and_options(api: Api) -> None:
    contact = api.create_contact()
    address = add(api, contact["id"], {**HOME, "options": [{"typeId": 4, "value": "1"}]}, typeId=1)
    updated = api.ok(
        "PUT",
        f"/rest/accounts/contacts/{contact['id']}/addresses/{address['id']}",
        json={"town": "Berlin", "options": [{"typeId": 4, "value": "2"}]},
    )
    assert (updated["id"], updated["town"], updated["phone"]) == (address["id"], "Berlin", "2")
    assert updated["name2"] == "Jane"
    assert len(updated["options"]) == 1


def test_update_of_a_shared_address_splits_it(api: Api) -> None:
    contact = api.create_contact()
    shared = add(api, contact["id"], HOME, typeId=1)
    add(api, contact["id"], HOME, typeId=2)
    moved = api.ok(
        "PUT",
        f"/rest/accounts/contacts/{contact['id']}/addresses/{shared['id']}",
        params={"typeId": 2},
        json={"town": "Berlin"},
    )
    assert moved["id"] != shared["id"]
    assert moved["town"] == "Berlin"
    by_type = {r["typeId"]: r["addressId"] for r in relations(api, contact["id"])}
    assert by_type == {1: shared["id"], 2: moved["id"]}
    assert api.ok("GET", f"/rest/accounts/addresses/{shared['id']}")["town"] == "Kassel"


def test_delete_removes_one_relation_or_all(api: Api) -> None:
    contact = api.create_contact()
    shared = add(api, contact["id"], HOME, typeId=1)
    add(api, contact["id"], HOME, typeId=2)
    path = f"/rest/accounts/contacts/{contact['id']}/addresses/{shared['id']}"
    assert api.delete(path, params={"typeId": 2}).status_code == 200
    assert [r["typeId"] for r in relations(api, contact["id"])] == [1]
    assert api.stats()["addresses"] == 1
    assert api.delete(path).status_code == 200
    assert relations(api, contact["id"]) == []
    assert api.stats()["addresses"] == 0
    assert api.delete(path).status_code == 404


def test_free_addresses_options_and_relation_routes(api: Api) -> None:
    contact = api.create_contact()
    address = api.ok("POST", "/rest/accounts/addresses", json=HOME)
    listed = api.ok("GET", "/rest/accounts/addresses")
    assert [a["id"] for a in listed["entries"]] == [address["id"]]
    created = api.ok(
        "POST",
        "/rest/accounts/addresses/contact_relations",
        json=[
            {"contactId": contact["id"], "addressId": address["id"], "typeId": 1, "isPrimary": True}
        ],
    )
    relation_id = created[0]["id"]
    fetched = api.ok("GET", f"/rest/accounts/addresses/contact_relations/{relation_id}")
    assert fetched == created[0]
    added = api.ok(
        "POST",
        f"/rest/accounts/addresses/{address['id']}/options",
        json={"typeId": 6, "value": "123456"},
    )
    option_id = added[0]["id"]
    assert api.ok("GET", f"/rest/accounts/addresses/{address['id']}")["postident"] == "123456"
    api.ok("PUT", f"/rest/accounts/addresses/options/{option_id}", json={"value": "654321"})
    assert api.ok("GET", f"/rest/accounts/addresses/options/{option_id}")["value"] == "654321"
    assert api.delete(f"/rest/accounts/addresses/options/{option_id}").status_code == 200
    assert api.ok("GET", f"/rest/accounts/addresses/{address['id']}/options") == []
    bad = api.post(f"/rest/accounts/addresses/{address['id']}/options", json={"typeId": 99})
    assert bad.status_code == 422
    changed = api.ok("PUT", f"/rest/accounts/addresses/{address['id']}", json={"name4": "c/o X"})
    assert changed["careOf"] == "c/o X"
    with_relations = api.ok(
        "GET", f"/rest/accounts/addresses/{address['id']}", params={"with": "contactRelations"}
    )
    assert [r["id"] for r in with_relations["contactRelations"]] == [relation_id]
    assert (
        api.delete(f"/rest/accounts/addresses/contact_relations/{relation_id}").status_code == 200
    )
    assert api.ok("GET", f"/rest/accounts/addresses/{address['id']}")["town"] == "Kassel"
    assert api.delete(f"/rest/accounts/addresses/{address['id']}").status_code == 200
    assert api.get(f"/rest/accounts/addresses/{address['id']}").status_code == 404


def test_packstation_addresses_are_flagged(api: Api) -> None:
    contact = api.create_contact()
    station = {
        **HOME,
        "address1": "PACKSTATION",
        "address2": "101",
        "options": [{"typeId": 6, "value": "12345678"}],
    }
    address = add(api, contact["id"], station, typeId=2)
    assert (address["isPackstation"], address["packstationNo"]) == (True, "101")
    assert address["postident"] == "12345678"


def test_a_relation_array_with_a_bad_item_is_refused_whole_or_item_by_item(api: Api) -> None:
    first, second = api.create_contact(), api.create_contact()
    address = add(api, first["id"], HOME, typeId=1, isPrimary=True)
    good = {"contactId": first["id"], "addressId": address["id"], "typeId": 2, "isPrimary": True}
    other = {**good, "contactId": second["id"], "isPrimary": False}
    bad = {**good, "addressId": 999_999}
    route = "/rest/accounts/addresses/contact_relations"
    # The default: one bad item refuses the array, and nothing of it is written.
    refused = api.post(route, json=[good, bad, other])
    assert refused.status_code == 422 and "1.addressId" in refused.json()["validation_errors"]
    assert [r["typeId"] for r in relations(api, first["id"])] == [1]
    assert relations(api, second["id"]) == []
    api.configure({"modes": {"relation_array": "per_item"}})
    written = api.ok("POST", route, json=[good, bad, other])
    assert [(r["contactId"], r["typeId"], r["isPrimary"]) for r in written] == [
        (first["id"], 2, True),
        (second["id"], 2, False),
    ]
    # Sent again, the same relations are answered, not added twice.
    assert api.ok("POST", route, json=[good]) == written[:1]
    assert sorted(r["typeId"] for r in relations(api, first["id"])) == [1, 2]
