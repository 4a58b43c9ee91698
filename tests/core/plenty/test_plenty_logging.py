"""Request logs: no secrets ever, personal data masked unless switched off."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import respx

from core.plenty import (
    ExchangeRecord,
    PlentyClient,
    clean_text,
    mask_personal_data,
    mask_text,
    redact_secrets,
)
from tests.core.plenty.conftest import TOKEN_BODY

MakeClient = Callable[..., PlentyClient]


def test_masking_keeps_only_a_hint_of_each_value() -> None:
    assert mask_text("jane.doe@example.com") == "j***@e***.com"
    assert mask_text("Jane") == "J***"
    assert mask_text("") == ""


def test_personal_values_are_masked_everywhere_in_a_payload() -> None:
    payload = {
        "id": 7,
        "firstName": "Jane",
        "typeId": 1,
        "options": [{"typeId": 2, "subTypeId": 4, "value": "jane@example.com"}],
        "addresses": [{"address1": "Hauptstraße", "postalCode": "34117", "countryId": 1}],
        "password": "pw",
    }
    masked = mask_personal_data(payload)
    assert masked["firstName"] == "J***" and masked["id"] == 7 and masked["typeId"] == 1
    assert masked["options"][0]["value"] == "j***@e***.com"
    assert masked["addresses"][0]["address1"] == "H***"
    assert masked["password"] == "[redacted]"
    assert payload["firstName"] == "Jane"


def test_secrets_are_removed_even_without_masking() -> None:
    cleaned = redact_secrets({"accessToken": "t", "nested": [{"refresh_token": "r"}], "a": "b"})
    assert cleaned == {
        "accessToken": "[redacted]",
        "nested": [{"refresh_token": "[redacted]"}],
        "a": "b",
    }


def run_logged_calls(make_client: MakeClient, router: respx.MockRouter, *, mask: bool) -> str:
    router.post("/rest/login").respond(200, json=TOKEN_BODY)
    router.get("/rest/accounts/contacts").respond(
        200,
        json={"page": 1, "isLastPage": True, "entries": [{"id": 1, "email": "jane@example.com"}]},
    )
    router.post("/rest/accounts/contacts").respond(200, json={"id": 2, "lastName": "Doe"})
    records: list[ExchangeRecord] = []
    client = make_client(hooks=[records.append], mask_personal_data=mask)
    client.contacts.find_by_email("jane@example.com")
    client.contacts.create({"typeId": 1, "referrerId": 1, "lastName": "Doe"})
    assert [r.kind for r in records] == ["login", "read", "write"]
    assert records[1].status == 200 and records[1].route == "/rest/accounts/contacts"
    return repr(records)


def test_hooks_never_see_passwords_or_tokens(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    logged = run_logged_calls(make_client, router, mask=False)
    for secret in ("s3cret-pw", "tok-1", "ref-1"):
        assert secret not in logged
    assert "jane@example.com" in logged and "Doe" in logged


def test_hooks_see_personal_data_masked_by_default(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    logged = run_logged_calls(make_client, router, mask=True)
    assert "jane@example.com" not in logged and "jane%40example.com" not in logged
    assert "Doe" not in logged and "j***@e***.com" in logged


def test_a_failing_hook_does_not_break_the_call(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    router.post("/rest/login").respond(200, json=TOKEN_BODY)
    router.get("/rest/accounts/contacts/1").respond(200, json={"id": 1})

    def broken(record: ExchangeRecord) -> None:
        raise RuntimeError("disk full")

    assert make_client(hooks=[broken]).contacts.get(1).id == 1


def test_connection_failures_are_logged_with_their_error(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    router.post("/rest/login").respond(200, json=TOKEN_BODY)
    route = router.get("/rest/accounts/contacts/1")
    route.side_effect = [httpx.ConnectError("refused"), httpx.Response(200, json={"id": 1})]
    records: list[ExchangeRecord] = []
    make_client(hooks=[records.append]).contacts.get(1)
    assert [(r.status, r.error, r.attempt) for r in records[1:]] == [
        (None, "ConnectError", 1),
        (200, None, 2),
    ]


def test_urls_inside_any_text_are_cleaned_by_the_same_rule() -> None:
    line = (
        "GET https://shop.test/rest/V1/customers/search?"
        "searchCriteria[filterGroups][0][filters][0][value]=jane%40example.com"
        "&searchCriteria[pageSize]=5&password=pw&lastName=Doe"
    )
    cleaned = clean_text(line, mask=True)
    assert "[filters][0][value]=j***@e***.com" in cleaned
    assert "searchCriteria[pageSize]=5" in cleaned
    assert "password=[redacted]" in cleaned and "lastName=D***" in cleaned
    assert clean_text("mail from jane@example.com failed", mask=True) == (
        "mail from j***@e***.com failed"
    )
    unmasked = clean_text(line, mask=False)
    assert "password=[redacted]" in unmasked and "lastName=Doe" in unmasked
    assert clean_text(cleaned, mask=True) == cleaned


def test_bodies_quoted_in_a_message_are_cleaned() -> None:
    message = (
        'PlentyONE answered 422: {"firstName": "Jane", "typeId": 1, "password": "pw", '
        "\"town\": \"Kassel\"} for {'lastName': 'Doe'}"
    )
    assert clean_text(message, mask=True) == (
        'PlentyONE answered 422: {"firstName": "J***", "typeId": 1, "password": "[redacted]", '
        "\"town\": \"Kassel\"} for {'lastName': 'D***'}"
    )
    assert '"firstName": "Jane"' in clean_text(message, mask=False)
