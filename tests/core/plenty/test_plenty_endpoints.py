"""What the endpoint methods send and how they read PlentyONE's answers (respx)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
import respx

from core.plenty import DELIVERY, PlentyClient
from tests.core.plenty.conftest import make_config

MakeClient = Callable[..., PlentyClient]
CONTACTS = "/rest/accounts/contacts"

pytestmark = pytest.mark.usefixtures("login_route")


def page(number: int, last: int, entries: list[dict[str, object]]) -> dict[str, object]:
    return {
        "page": number,
        "totalsCount": 99,
        "isLastPage": number == last,
        "lastPageNumber": last,
        "entries": entries,
    }


def test_email_lookup_pages_through_fuzzy_hits_and_keeps_exact_ones(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACTS)
    route.side_effect = [
        httpx.Response(200, json=page(1, 2, [{"id": 1, "email": "xjane@example.com"}])),
        httpx.Response(
            200,
            json=page(
                2,
                2,
                [
                    {"id": 2, "email": "", "options": [{"typeId": 2, "value": "JANE@example.com"}]},
                    {"id": 3, "email": "jane@example.com", "singleAccess": "1"},
                ],
            ),
        ),
    ]
    client = make_client()
    assert [c.id for c in client.contacts.find_by_email("jane@example.com")] == [2, 3]
    first = route.calls[0].request.url.params
    assert first["contactEmail"] == "jane@example.com" and first["itemsPerPage"] == "250"
    assert route.calls[1].request.url.params["page"] == "2"


def test_paging_stops_when_plenty_answers_another_page_than_asked(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACTS)
    route.side_effect = [
        httpx.Response(200, json={**page(1, 5, [{"id": 1}]), "isLastPage": False}),
        httpx.Response(200, json={**page(1, 5, [{"id": 1}]), "isLastPage": False}),
    ]
    assert [c.id for c in make_client().contacts.iterate()] == [1]
    assert route.call_count == 2


def test_an_empty_page_ends_the_walk(router: respx.MockRouter, make_client: MakeClient) -> None:
    router.get(CONTACTS).respond(200, json={**page(1, 3, []), "isLastPage": False})
    assert list(make_client().contacts.iterate()) == []


def test_lookup_by_number_when_that_is_the_identity_field(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.get(CONTACTS).respond(
        200, json=page(1, 1, [{"id": 1, "number": "eu-10"}, {"id": 2, "number": "eu-100"}])
    )
    client = make_client(make_config(identity_field="number"))
    assert [c.id for c in client.contacts.find_by_identity("eu-10")] == [1]
    assert route.calls.last.request.url.params["number"] == "eu-10"


def test_address_create_sends_the_relation_type(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post("/rest/accounts/contacts/5/addresses").respond(200, json={"id": 9})
    make_client().addresses.create(5, {"town": "Kassel", "countryId": 1}, type_id=DELIVERY)
    request = route.calls.last.request
    assert request.url.params["typeId"] == "2" and "isPrimary" not in request.url.params
    assert json.loads(request.content)["typeId"] == 2


def test_referrers_are_created_through_the_data_parameter(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    route = router.post("/rest/orders/referrers/4").respond(200, json={"id": 4.02, "name": "B2B"})
    created = make_client().reference.create_referrer("B2B", parent_id=4)
    assert created.id == 4.02
    assert route.calls.last.request.url.params["data"] == "name:B2B,isFilterable:true"


def test_contact_classes_come_as_an_id_map(
    router: respx.MockRouter, make_client: MakeClient
) -> None:
    router.get("/rest/accounts/contacts/classes").respond(200, json={"1": "Endkunde", "3": "B2B"})
    classes = make_client().reference.contact_classes()
    assert [(c.id, c.name) for c in classes] == [(1, "Endkunde"), (3, "B2B")]


def test_countries_carry_their_states(router: respx.MockRouter, make_client: MakeClient) -> None:
    route = router.get("/rest/orders/shipping/countries").respond(
        200,
        json=[
            {
                "id": 28,
                "isoCode2": "US",
                "isCountryStateMandatory": 1,
                "states": [{"id": 7, "countryId": 28, "name": "Texas", "isoCode": "TX"}],
            }
        ],
    )
    [usa] = make_client().reference.countries()
    assert usa.isCountryStateMandatory is True and usa.states[0].isoCode == "TX"
    assert route.calls.last.request.url.params["with"] == "states"
