"""PlentyONE's loose typing: numbers as strings, float ids, odd flags, unknown keys."""

from __future__ import annotations

import pytest

from core.errors import TransientError
from core.plenty import Address, Contact, ContactClass, Referrer
from core.plenty._pagination import parse_page


def test_a_page_number_sent_as_a_string_is_read_as_a_number() -> None:
    body = {
        "page": "1",
        "totalsCount": "2",
        "isLastPage": "1",
        "lastPageNumber": "1",
        "itemsPerPage": "50",
        "entries": [{"id": "3"}, {"id": 4}],
    }
    page = parse_page(body, Contact)
    assert (page.info.page, page.info.totalsCount, page.is_last) == (1, 2, True)
    assert [c.id for c in page.entries] == [3, 4]


def test_float_referrer_ids_and_numeric_external_ids() -> None:
    contact = Contact.model_validate(
        {"id": 243, "referrerId": 1.0, "externalId": 1001, "number": 7, "classId": "2"}
    )
    assert contact.referrerId == 1.0
    assert contact.externalId == "1001" and contact.number == "7"
    assert contact.classId == 2
    assert Referrer.model_validate({"id": 4.01, "isEditable": "0"}).id == 4.01


@pytest.mark.parametrize(
    ("raw", "guest"), [("1", True), ("", False), (True, True), (0, False), (None, False)]
)
def test_the_guest_flag_accepts_every_spelling(raw: object, guest: bool) -> None:
    assert Contact.model_validate({"id": 1, "singleAccess": raw}).is_guest is guest


def test_unknown_keys_are_kept_and_empty_numbers_are_none() -> None:
    contact = Contact.model_validate({"id": 1, "valuta": "60", "classId": "", "newField": {"x": 1}})
    assert contact.classId is None
    assert contact.extra("valuta") == "60" and contact.extra("newField") == {"x": 1}


def test_address_options_are_found_by_type() -> None:
    address = Address.model_validate(
        {
            "id": 5001,
            "countryId": "1",
            "stateId": None,
            "options": [{"typeId": 2, "value": "mage-12"}, {"typeId": "5", "value": "a@b.de"}],
        }
    )
    assert address.countryId == 1
    assert address.option(2) == "mage-12" and address.option(5) == "a@b.de"
    assert address.option(1) is None


def test_a_plain_list_is_a_single_last_page() -> None:
    page = parse_page([{"id": 1, "name": "Endkunde"}], ContactClass)
    assert page.is_last and [c.name for c in page.entries] == ["Endkunde"]


def test_an_answer_without_entries_is_transient() -> None:
    with pytest.raises(TransientError):
        parse_page({"page": 1, "entries": "nope"}, Contact)
