"""Contacts: identity, store, referrer, class, gender, title, options, guests."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import DataError, RecordError
from core.magento import Customer, GuestBuyer
from core.mapping import (
    MappingContext,
    guest_key,
    guest_website,
    map_customer,
    map_guest,
    skip_reason,
)


def customer(**fields: Any) -> Customer:
    base: dict[str, Any] = {
        "id": 42,
        "email": "Jane.Doe@Example.com",
        "firstname": "Jane",
        "lastname": "Doe",
        "store_id": 1,
        "website_id": 1,
        "group_id": 1,
    }
    base.update(fields)
    return Customer.model_validate(base)


def test_create_only_and_managed_fields(ctx: MappingContext) -> None:
    draft = map_customer(customer(dob="1980-05-17"), ctx)
    assert draft.create_only == {
        "typeId": 1,
        "referrerId": 1.0,
        "plentyId": 1000,
        "externalId": "shop-eu:c:42",
    }
    assert draft.managed == {
        "lang": "en",
        "firstName": "Jane",
        "lastName": "Doe",
        "classId": 1,
        "birthdayAt": "1980-05-17T00:00:00+00:00",
    }
    assert {"typeId": 2, "subTypeId": 4, "value": "jane.doe@example.com"} in draft.options


@pytest.mark.parametrize(
    ("field", "expected"),
    [("number", {"number": "shop-eu:c:42"}), ("externalId", {"externalId": "shop-eu:c:42"})],
)
def test_identity_goes_to_the_configured_field(make_ctx, field: str, expected: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    draft = map_customer(customer(), make_ctx(identity_field=field))
    assert expected.items() <= draft.create_only.items()


def test_store_zero_resolves_through_the_website_default(ctx: MappingContext) -> None:
    draft = map_customer(customer(store_id=0, website_id=2), ctx)
    assert draft.create_only["plentyId"] == 2000 and draft.managed["lang"] == "de"
    assert draft.create_only["referrerId"] == 4.01  # the website's own referrer


@pytest.mark.parametrize(
    ("group", "expected"),
    [(2, 2), (1, 1), (4, 1)],
)
def test_class_from_group_mapping_then_default(
    ctx: MappingContext, group: int, expected: int
) -> None:
    assert map_customer(customer(group_id=group), ctx).managed["classId"] == expected


def test_no_class_without_mapping_or_default(make_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(customer={"default_group": None})
    assert "classId" not in map_customer(customer(group_id=4), ctx).managed


@pytest.mark.parametrize(
    ("prefix", "gender_option", "gender", "title"),
    [
        ("Mr", None, "male", None),
        ("mr.", None, "male", None),
        ("MR.", 2, "male", None),
        ("Frau Dr.", None, "female", "Dr."),
        ("Prof. Dr.", 1, "male", "Prof. Dr."),
        ("Dr.", None, None, "Dr."),
        (None, 2, "female", None),
        ("Madame", 3, None, None),
        ("", None, None, None),
    ],
)
def test_gender_and_title(
    ctx: MappingContext,
    prefix: str | None,
    gender_option: int | None,
    gender: str | None,
    title: str | None,
) -> None:
    draft = map_customer(customer(prefix=prefix, gender=gender_option), ctx)
    assert draft.managed.get("gender") == gender
    assert draft.managed.get("title") == title


def test_company_prefix_sets_no_gender(ctx: MappingContext) -> None:
    draft = map_customer(customer(prefix="Firma", gender=1), ctx)
    assert draft.is_company and "gender" not in draft.managed


@pytest.mark.parametrize("email", ["not-an-email", "", "a@@b.de", "jane doe@example.com"])
def test_an_invalid_email_is_a_record_error(ctx: MappingContext, email: str) -> None:
    with pytest.raises(DataError, match="e-mail"):
        map_customer(customer(email=email), ctx)


def test_email_noise_is_normalised(ctx: MappingContext) -> None:
    draft = map_customer(customer(email="  JANE.Doe@Example.COM \t"), ctx)
    assert draft.email == "jane.doe@example.com"


def test_phone_comes_from_the_billing_address(ctx: MappingContext) -> None:
    draft = map_customer(
        customer(
            default_billing="8",
            addresses=[
                {"id": 7, "telephone": "111", "country_id": "DE", "street": ["A 1"]},
                {"id": 8, "telephone": " 222 ", "country_id": "DE", "street": ["B 2"]},
            ],
        ),
        ctx,
    )
    assert {"typeId": 1, "subTypeId": 4, "value": "222"} in draft.options


def test_store_filter_and_export_switch(make_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx()
    assert skip_reason(1, 1, ctx) is None
    assert "store filter is on" in (skip_reason(5, 3, ctx) or "")
    off = make_ctx(store={"is_active_store_filter": False})
    assert "no fallback row" in (skip_reason(5, 3, off) or "")
    fallback = make_ctx(
        store={
            "is_active_store_filter": False,
            "store_mapping": [{"store_id": "*", "plenty_id": 9, "locale": "fr"}],
        }
    )
    assert skip_reason(5, 3, fallback) is None
    assert map_customer(customer(store_id=5, website_id=3), fallback).create_only["plentyId"] == 9
    inactive = make_ctx(customer={"is_active": False})
    assert "customer.is_active" in (skip_reason(1, 1, inactive) or "")


def test_guests_are_keyed_by_website_and_email(ctx: MappingContext) -> None:
    buyer = GuestBuyer.model_validate(
        {
            "website_id": 1,
            "store_id": 1,
            "email": " Guest@Example.com",
            "order_id": 9,
            "billing_address": {
                "firstname": "Gus",
                "lastname": "Guest",
                "prefix": "Mr.",
                "telephone": "555",
                "country_id": "DE",
                "street": ["Weg 1"],
            },
        }
    )
    draft = map_guest(buyer, ctx)
    assert draft.identity == f"shop-eu:g:{guest_key(1, 'guest@example.com')}"
    assert "guest@example.com" not in draft.identity
    assert draft.create_only["singleAccess"] is True
    assert draft.managed["firstName"] == "Gus" and draft.managed["gender"] == "male"
    assert draft.managed["classId"] == 1


def test_a_guest_key_names_its_website() -> None:
    assert guest_website(guest_key(3, "guest@example.com")) == 3
    assert guest_website(guest_key(12, "a:b@example.com")) == 12


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"firstname": "   "}, "firstname", "is empty"),
        ({"firstname": None}, "firstname", "is missing"),
        ({"lastname": ""}, "lastname", "is empty"),
        ({"lastname": "\u202e\u202c"}, "lastname", "is empty"),
        ({"lastname": "Doe\x00"}, "lastname", "control character U+0000"),
        ({"middlename": "A\tB"}, "middlename", "control character U+0009"),
        ({"firstname": "<i>Jane</i>"}, "firstname", "HTML markup"),
        ({"lastname": "D" * 300}, "lastname", "300 characters long"),
        ({"dob": "1985-02-30"}, "dob", "not a valid date"),
    ],
)
def test_a_name_or_birthday_that_cannot_be_sent_fails_naming_its_field(
    ctx: MappingContext, fields: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(RecordError) as caught:
        map_customer(customer(**fields), ctx)
    assert caught.value.field == field and problem in str(caught.value)
    assert f"({field})" in str(caught.value)


def test_bidi_overrides_are_stripped_from_names_with_a_warning(ctx: MappingContext) -> None:
    draft = map_customer(customer(firstname="\u202eJane", lastname="Do\u2067e\u2069"), ctx)
    assert (draft.managed["firstName"], draft.managed["lastName"]) == ("Jane", "Doe")
    assert len(draft.warnings) == 2 and all("bidi" in w for w in draft.warnings)


def test_a_middle_name_joins_the_first_name(ctx: MappingContext) -> None:
    draft = map_customer(customer(middlename=" Ann "), ctx)
    assert draft.managed["firstName"] == "Jane Ann" and draft.warnings == []


def test_a_birthday_after_today_fails(ctx: MappingContext) -> None:
    import datetime as dt

    with pytest.raises(RecordError, match="not plausible"):
        map_customer(customer(dob="2030-01-01"), ctx, today=dt.date(2026, 12, 1))
    draft = map_customer(customer(dob="2026-11-30 00:00:00"), ctx, today=dt.date(2026, 12, 1))
    assert draft.managed["birthdayAt"] == "2026-11-30T00:00:00+00:00"


def test_a_guest_without_any_name_fails_naming_the_field(ctx: MappingContext) -> None:
    buyer = GuestBuyer.model_validate(
        {"email": "gus@example.com", "order_id": 9, "store_id": 1, "website_id": 1,
         "lastname": "Guest"}
    )  # fmt: skip
    with pytest.raises(RecordError, match=r"first name \(firstname\) is missing"):
        map_guest(buyer, ctx)
