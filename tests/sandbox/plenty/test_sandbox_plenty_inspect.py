"""The /_sandbox/ controls: stats, dump, staff edits, orders, reset, configuration, guard."""

from __future__ import annotations

from sandbox.plenty import SandboxConfig
from tests.sandbox.plenty.support import Api, StartEmulator, email_option

SHORT_LEFT = "X-Plenty-Global-Short-Period-Calls-Left"


def test_stats_count_calls_statuses_holdings_and_duplicates(api: Api) -> None:
    api.create_contact(externalId="e:1", options=[email_option("a@example.com")])
    api.create_contact(externalId="e:1", options=[email_option("A@Example.com ")])
    api.create_contact(externalId="e:1")
    api.create_contact(externalId="e:2", options=[email_option("b@example.com")])
    api.get("/rest/accounts/contacts/404")
    api.post("/rest/accounts/contacts", json={})
    api.http.post("/_sandbox/rate-limits/burst", json={"count": 1})
    api.get("/rest/webstores")
    stats = api.stats()
    assert stats["contacts"] == 4
    assert stats["duplicate_contacts_by_external_id"] == 2
    assert stats["duplicate_contacts_by_email"] == 1
    calls = stats["calls"]
    assert calls["by_route"]["POST /rest/accounts/contacts"] == 5
    assert calls["by_route"]["GET /rest/accounts/contacts/{contactId}"] == 1
    assert calls["by_route"]["POST /rest/login"] == 1
    assert calls["by_status"] == {"200": 5, "404": 1, "422": 1, "429": 1}
    assert calls["rate_limited"] == 1
    assert calls["by_method"] == {"POST": 6, "GET": 2}
    assert calls["total"] == 8
    assert stats["sessions"]["logins"] == 1
    assert stats["sessions"]["max_concurrent_sessions"] == 1


def test_dump_lists_every_contact_with_everything(api: Api) -> None:
    contact = api.create_contact(options=[email_option("a@example.com")])
    api.ok(
        "POST",
        f"/rest/accounts/contacts/{contact['id']}/addresses",
        params={"typeId": 1},
        json={"town": "Kassel", "countryId": 1},
    )
    api.http.post(f"/_sandbox/contacts/{contact['id']}/orders")
    dumped = api.http.get("/_sandbox/contacts").json()
    assert len(dumped) == 1
    assert dumped[0]["email"] == "a@example.com"
    assert dumped[0]["addresses"][0]["town"] == "Kassel"
    assert dumped[0]["accounts"] == []
    assert dumped[0]["orderCount"] == 1
    assert dumped[0]["lastOrderAt"]
    assert api.stats()["contacts_with_orders"] == 1


def test_staff_edits_spend_no_budget(api: Api) -> None:
    contact = api.create_contact(firstName="Jane", options=[email_option("a@example.com")])
    before = api.get("/rest/webstores").headers[SHORT_LEFT]
    edited = api.http.patch(
        f"/_sandbox/contacts/{contact['id']}",
        json={
            "fields": {"firstName": "Janet", "classId": 2},
            "options": [
                email_option("staff@example.com"),
                {"typeId": 1, "subTypeId": 4, "value": "030 9"},
            ],
        },
    )
    assert edited.status_code == 200
    after = api.get("/rest/webstores").headers[SHORT_LEFT]
    assert int(before) - int(after) == 1  # only the second GET itself
    fetched = api.ok("GET", f"/rest/accounts/contacts/{contact['id']}")
    assert (fetched["firstName"], fetched["classId"]) == ("Janet", 2)
    assert (fetched["email"], fetched["privatePhone"]) == ("staff@example.com", "030 9")
    assert fetched["updatedAt"] >= contact["updatedAt"]
    refused = api.http.patch(f"/_sandbox/contacts/{contact['id']}", json={"fields": {"id": 5}})
    assert refused.status_code == 422
    assert api.http.patch("/_sandbox/contacts/999", json={"fields": {}}).status_code == 404


def test_seeding_contacts_validates_like_the_api(api: Api) -> None:
    seeded = api.http.post("/_sandbox/contacts", json=[{"typeId": 1, "referrerId": 1}] * 3)
    assert seeded.json() == {"ids": [1, 2, 3]}
    invalid = api.http.post("/_sandbox/contacts", json=[{"typeId": 1}])
    assert invalid.status_code == 422
    assert "referrerId" in invalid.json()["validation_errors"]


def test_reset_forgets_data_sessions_and_counts(api: Api) -> None:
    api.create_contact()
    api.configure({"modes": {"options_on_put": "replace"}})
    assert api.http.post("/_sandbox/reset").json() == {"reset": True}
    stats = api.stats()
    assert (stats["contacts"], stats["calls"]["total"], stats["sessions"]["logins"]) == (0, 0, 0)
    assert api.get("/rest/webstores").status_code == 401
    api.login()
    assert api.create_contact()["id"] == 1
    # The configuration survives a reset.
    assert api.http.get("/_sandbox/config").json()["modes"]["options_on_put"] == "replace"


def test_configuration_is_validated_and_hides_passwords(api: Api) -> None:
    shown = api.http.get("/_sandbox/config").json()
    assert shown["users"] == ["api-user"]
    assert "api-password" not in str(shown)
    assert shown["limits"]["window_mode"] == "fixed"
    bad = api.http.post("/_sandbox/config", json={"modes": {"options_on_put": "sometimes"}})
    assert bad.status_code == 422
    unknown = api.http.post("/_sandbox/config", json={"nonsense": 1})
    assert unknown.status_code == 422
    changed = api.configure({"limits": {"window_mode": "sliding", "short_period_s": 10}})
    assert changed["limits"]["window_mode"] == "sliding"
    assert api.get("/rest/webstores").headers["X-Plenty-Global-Short-Period-Decay"] == "10"


def test_controls_need_the_sandbox_token_when_one_is_set(start_emulator: StartEmulator) -> None:
    api = start_emulator(SandboxConfig(inspect_token="s3cret"))
    assert api.http.get("/_sandbox/stats").status_code == 403
    allowed = api.http.get("/_sandbox/stats", headers={"X-Sandbox-Token": "s3cret"})
    assert allowed.status_code == 200


def test_unknown_routes_answer_in_the_api_envelope(api: Api) -> None:
    answer = api.get("/rest/no/such/route")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == 404
    wrong_method = api.call("PATCH", "/rest/accounts/contacts")
    assert wrong_method.status_code == 405
    bad_json = api.post(
        "/rest/accounts/contacts", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400
