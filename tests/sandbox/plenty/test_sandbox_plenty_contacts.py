"""Contacts: create, read, update, delete, validation, option aliases and the write modes."""

from __future__ import annotations

from sandbox.plenty import Modes, SandboxConfig
from tests.sandbox.plenty.support import Api, StartEmulator, email_option

PHONE = {"typeId": 1, "subTypeId": 4, "value": "+49 30 1234567"}


def test_create_answers_the_stored_contact_with_aliases(api: Api) -> None:
    created = api.create_contact(
        externalId="shop-eu:1001",
        number="1001",
        firstName="Jane",
        lastName="Doe",
        gender="female",
        classId=2,
        plentyId=12345,
        lang="en",
        birthdayAt="1984-03-19",
        options=[email_option("jane@example.com"), PHONE],
    )
    assert isinstance(created["id"], int)
    assert created["fullName"] == "Jane Doe"
    assert created["email"] == "jane@example.com"
    assert created["privatePhone"] == "+49 30 1234567"
    assert created["privateMobile"] == "" and created["singleAccess"] == ""
    assert created["referrerId"] == 1.0
    assert created["birthdayAt"].startswith("1984-03-19T00:00:00+")
    assert created["createdAt"][-6] in "+-"
    assert [(o["typeId"], o["subTypeId"]) for o in created["options"]] == [(2, 4), (1, 4)]
    assert all(o["contactId"] == created["id"] for o in created["options"])
    fetched = api.ok("GET", f"/rest/accounts/contacts/{created['id']}")
    assert fetched == created


def test_create_requires_type_and_referrer(api: Api) -> None:
    answer = api.post("/rest/accounts/contacts", json={"firstName": "X"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"]["message"] == "validation error found"
    assert set(body["validation_errors"]) == {"typeId", "referrerId"}
    assert body["validation_errors"]["typeId"] == ["The type id field is required."]
    assert api.stats()["contacts"] == 0


def test_strict_validation_checks_reference_data_and_can_be_switched_off(
    start_emulator: StartEmulator,
) -> None:
    api = start_emulator()
    api.login()
    bad = {
        "typeId": 99,
        "referrerId": 7.5,
        "classId": 42,
        "plentyId": 1,
        "lang": "xx",
        "gender": "company",
    }
    answer = api.post("/rest/accounts/contacts", json=bad)
    assert answer.status_code == 422
    assert set(answer.json()["validation_errors"]) == set(bad)
    api.configure({"modes": {"strict_validation": False}})
    assert api.post("/rest/accounts/contacts", json=bad).status_code == 200


def test_malformed_numbers_and_options_are_422(api: Api) -> None:
    answer = api.post(
        "/rest/accounts/contacts",
        json={"typeId": "one", "referrerId": 1, "options": [{"typeId": 2, "subTypeId": 4}]},
    )
    assert answer.status_code == 422
    errors = answer.json()["validation_errors"]
    assert errors["typeId"] == ["The type id must be an integer."]
    assert "options.0.value" in errors
    duplicate_pair = [email_option("a@x.test"), email_option("b@x.test")]
    twice = api.post(
        "/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1, "options": duplicate_pair}
    )
    assert twice.status_code == 422
    assert "options.1.subTypeId" in twice.json()["validation_errors"]


def test_unknown_contact_is_a_404_in_the_api_envelope(api: Api) -> None:
    answer = api.get("/rest/accounts/contacts/999")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"].startswith("No query results for model [")
    assert answer.json()["error"]["message"].endswith("] 999")
    assert api.put("/rest/accounts/contacts/999", json={}).status_code == 404
    assert api.delete("/rest/accounts/contacts/999").status_code == 404


def test_update_is_partial_and_moves_updated_at(api: Api) -> None:
    created = api.create_contact(firstName="Jane", lastName="Doe", number="7")
    api.http.patch(
        f"/_sandbox/contacts/{created['id']}",
        json={"fields": {"updatedAt": "2020-01-01T00:00:00+01:00"}},
    )
    updated = api.ok("PUT", f"/rest/accounts/contacts/{created['id']}", json={"lastName": "Roe"})
    assert (updated["firstName"], updated["lastName"], updated["number"]) == ("Jane", "Roe", "7")
    assert updated["fullName"] == "Jane Roe"
    assert updated["updatedAt"] > "2020-01-01T00:00:00+01:00"


def test_top_level_email_is_read_only_by_default(api: Api) -> None:
    created = api.create_contact(email="ignored@example.com")
    assert created["email"] == ""
    assert created["options"] == []
    api.configure({"modes": {"email_writable": True}})
    written = api.create_contact(email="kept@example.com")
    assert written["email"] == "kept@example.com"
    assert [(o["typeId"], o["subTypeId"]) for o in written["options"]] == [(2, 4)]
    changed = api.ok(
        "PUT", f"/rest/accounts/contacts/{written['id']}", json={"email": "new@example.com"}
    )
    assert changed["email"] == "new@example.com"
    assert len(changed["options"]) == 1


def test_options_on_put_merge_by_default(api: Api) -> None:
    created = api.create_contact(options=[email_option("old@example.com"), PHONE])
    updated = api.ok(
        "PUT",
        f"/rest/accounts/contacts/{created['id']}",
        json={"options": [email_option("new@example.com")]},
    )
    assert updated["email"] == "new@example.com"
    assert updated["privatePhone"] == PHONE["value"]
    email_ids = [o["id"] for o in updated["options"] if o["typeId"] == 2]
    assert email_ids == [created["options"][0]["id"]]


def test_options_on_put_can_replace_all(start_emulator: StartEmulator) -> None:
    api = start_emulator(SandboxConfig(modes=Modes(options_on_put="replace")))
    api.login()
    created = api.create_contact(options=[email_option("old@example.com"), PHONE])
    updated = api.ok(
        "PUT",
        f"/rest/accounts/contacts/{created['id']}",
        json={"options": [email_option("new@example.com")]},
    )
    assert updated["email"] == "new@example.com"
    assert updated["privatePhone"] == ""
    assert len(updated["options"]) == 1
    # A PUT without options leaves them alone in either mode.
    untouched = api.ok("PUT", f"/rest/accounts/contacts/{created['id']}", json={"title": "Dr."})
    assert untouched["email"] == "new@example.com"


def test_duplicate_emails_are_accepted_unless_the_create_asks_to_check(api: Api) -> None:
    api.create_contact(options=[email_option("same@example.com")])
    api.create_contact(options=[email_option("SAME@example.com")])
    checked = api.post(
        "/rest/accounts/contacts",
        json={
            "typeId": 1,
            "referrerId": 1,
            "checkForExistingEmail": True,
            "options": [email_option("same@example.com")],
        },
    )
    assert checked.status_code == 400
    assert api.stats()["duplicate_contacts_by_email"] == 1
    api.configure({"modes": {"honour_check_for_existing_email": False}})
    assert (
        api.post(
            "/rest/accounts/contacts",
            json={
                "typeId": 1,
                "referrerId": 1,
                "checkForExistingEmail": True,
                "options": [email_option("same@example.com")],
            },
        ).status_code
        == 200
    )


def test_delete_removes_the_contact_and_its_relations(api: Api) -> None:
    created = api.create_contact()
    api.ok(
        "POST",
        f"/rest/accounts/contacts/{created['id']}/addresses",
        params={"typeId": 1},
        json={"name2": "A", "town": "Kassel", "countryId": 1},
    )
    answer = api.delete(f"/rest/accounts/contacts/{created['id']}")
    assert answer.status_code == 200
    assert answer.content == b""
    assert api.get(f"/rest/accounts/contacts/{created['id']}").status_code == 404
    stats = api.stats()
    assert (stats["contacts"], stats["addresses"], stats["address_relations"]) == (0, 0, 0)


def test_contacts_with_orders_survive_a_checked_delete(api: Api) -> None:
    created = api.create_contact()
    marked = api.http.post(f"/_sandbox/contacts/{created['id']}/orders", json={"count": 2})
    assert marked.json() == {"contactId": created["id"], "orderCount": 2}
    refused = api.delete(
        f"/rest/accounts/contacts/{created['id']}", params={"checkExistingOrders": "true"}
    )
    assert refused.status_code == 400
    assert api.get(f"/rest/accounts/contacts/{created['id']}").status_code == 200
    assert api.delete(f"/rest/accounts/contacts/{created['id']}").status_code == 200


def test_contact_option_routes(api: Api) -> None:
    created = api.create_contact(options=[email_option("a@example.com")])
    contact_id = created["id"]
    added = api.ok("POST", f"/rest/accounts/contacts/{contact_id}/options", json=[PHONE])
    assert [(o["typeId"], o["subTypeId"], o["value"]) for o in added] == [(1, 4, PHONE["value"])]
    again = api.post(f"/rest/accounts/contacts/{contact_id}/options", json=[PHONE])
    assert again.status_code == 422
    listed = api.ok("GET", f"/rest/accounts/contacts/{contact_id}/options", params={"typeId": 2})
    assert [o["value"] for o in listed] == ["a@example.com"]
    option_id = listed[0]["id"]
    changed = api.ok(
        "PUT", f"/rest/accounts/contacts/options/{option_id}", json={"value": "b@example.com"}
    )
    assert changed["value"] == "b@example.com"
    assert api.ok("GET", f"/rest/accounts/contacts/{contact_id}")["email"] == "b@example.com"
    assert api.delete(f"/rest/accounts/contacts/options/{option_id}").status_code == 200
    assert api.get(f"/rest/accounts/contacts/options/{option_id}").status_code == 404
    assert api.ok("GET", f"/rest/accounts/contacts/{contact_id}")["email"] == ""


def test_guest_contacts_and_their_conversion(api: Api) -> None:
    guest = api.create_contact(singleAccess=True, options=[email_option("g@example.com")])
    assert guest["singleAccess"] == "1"
    assert (10, 11) in {(o["typeId"], o["subTypeId"]) for o in guest["options"]}
    assert api.stats()["guests"] == 1
    converted = api.ok("POST", "/rest/accounts/guests/convert", params={"contactId": guest["id"]})
    assert converted["id"] == guest["id"]
    assert converted["singleAccess"] == ""
    assert converted["email"] == "g@example.com"
    assert api.stats()["guests"] == 0
    not_guest = api.post("/rest/accounts/guests/convert", params={"contactId": guest["id"]})
    assert not_guest.status_code == 400
    assert api.post("/rest/accounts/guests/convert").status_code == 422
