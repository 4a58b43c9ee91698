"""Accounts (companies) and their relations to contacts."""

from __future__ import annotations

from tests.sandbox.plenty.support import Api

ACME = {
    "companyName": "ACME GmbH",
    "taxIdNumber": "DE123456789",
    "valuta": 0,
    "discountDays": 0,
    "discountPercent": 0,
    "timeForPaymentAllowedDays": 14,
}


def test_create_link_and_embed_an_account(api: Api) -> None:
    contact = api.create_contact(firstName="Jane")
    account = api.ok("POST", "/rest/accounts", json=ACME)
    assert account["companyName"] == "ACME GmbH"
    assert account["timeForPaymentAllowedDays"] == 14
    relation = api.ok(
        "POST",
        "/rest/accounts/contact_relations",
        params={"accountId": account["id"], "contactId": contact["id"]},
    )
    assert (relation["accountId"], relation["contactId"]) == (account["id"], contact["id"])
    embedded = api.ok(
        "GET", f"/rest/accounts/contacts/{contact['id']}", params={"with": "accounts"}
    )
    assert [a["id"] for a in embedded["accounts"]] == [account["id"]]
    assert embedded["accounts"][0]["pivot"]["id"] == relation["id"]
    members = api.ok("GET", f"/rest/accounts/{account['id']}/contacts")
    assert [m["id"] for m in members] == [contact["id"]]
    assert members[0]["pivot"] == {
        "accountId": str(account["id"]),
        "contactId": str(contact["id"]),
        "id": relation["id"],
    }
    primary = api.ok(
        "PUT",
        f"/rest/accounts/contact_relations/{relation['id']}/primary",
        params={"isPrimary": "true"},
    )
    assert primary["isPrimary"] == 1
    assert api.stats()["account_relations"] == 1


def test_company_name_is_required(api: Api) -> None:
    answer = api.post("/rest/accounts", json={"taxIdNumber": "DE1"})
    assert answer.status_code == 422
    assert "companyName" in answer.json()["validation_errors"]


def test_create_for_contact_in_one_call(api: Api) -> None:
    contact = api.create_contact()
    account = api.ok("POST", f"/rest/accounts/contacts/{contact['id']}/accounts", json=ACME)
    path = f"/rest/accounts/contacts/{contact['id']}/accounts/{account['id']}"
    assert api.ok("GET", path)["companyName"] == "ACME GmbH"
    assert api.ok("PUT", path, json={"companyName": "ACME AG"})["companyName"] == "ACME AG"
    assert api.delete(path).status_code == 200
    assert api.get(path).status_code == 404
    assert api.ok("GET", f"/rest/accounts/{account['id']}")["companyName"] == "ACME AG"


def test_list_filters_update_and_delete(api: Api) -> None:
    acme = api.ok("POST", "/rest/accounts", json=ACME)
    other = api.ok("POST", "/rest/accounts", json={"companyName": "Other Ltd"})
    assert [a["id"] for a in api.ok("GET", "/rest/accounts")] == [acme["id"], other["id"]]
    like = api.ok("GET", "/rest/accounts", params={"companyName": "like:acme"})
    assert [a["id"] for a in like] == [acme["id"]]
    assert api.ok("GET", "/rest/accounts", params={"companyName": "eq:acme"}) == []
    assert [
        a["id"] for a in api.ok("GET", "/rest/accounts", params={"id": f"eq:{other['id']}"})
    ] == [other["id"]]
    changed = api.ok("PUT", f"/rest/accounts/{other['id']}", json={"taxIdNumber": "GB1"})
    assert changed["taxIdNumber"] == "GB1"
    assert api.delete(f"/rest/accounts/{other['id']}").status_code == 200
    assert api.get(f"/rest/accounts/{other['id']}").status_code == 404


def test_deleting_a_relation(api: Api) -> None:
    contact = api.create_contact()
    account = api.ok("POST", "/rest/accounts", json=ACME)
    relation = api.ok(
        "POST",
        "/rest/accounts/contact_relations",
        params={"accountId": account["id"], "contactId": contact["id"]},
    )
    path = f"/rest/accounts/contact_relations/{relation['id']}"
    assert api.ok("GET", path)["id"] == relation["id"]
    assert api.delete(path).status_code == 200
    assert api.get(path).status_code == 404
    missing = api.post("/rest/accounts/contact_relations", params={"accountId": account["id"]})
    assert missing.status_code == 422
