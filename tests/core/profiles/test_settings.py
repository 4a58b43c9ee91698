"""The profile settings model: the spec's defaults and limits, and errors that name fields."""

from __future__ import annotations

import json

import pydantic
import pytest

from core.profiles.service import ProfileInputError, parse_settings
from core.profiles.settings import ProfileSettings, prefix_key
from core.validation import describe_errors


def test_defaults_are_the_documented_ones() -> None:
    s = ProfileSettings()
    assert s.schedule.status is True
    assert s.schedule.process_batch_size == 100
    assert s.schedule.enable_history is True
    assert s.http_api.api_behaviour == "append"
    assert s.http_api.collection_size == 150
    assert s.store.is_active_store_filter is False
    assert s.customer.is_active is True
    assert s.customer.create_address is False
    assert s.customer.default_group is None
    assert s.log.is_active_request_log is False and s.log.is_active_response_log is False
    targets = {r.magento_field: r.plenty_field for r in s.customer.address_field_mapping}
    assert targets["firstname"] == "name2" and targets["street"] == "address1"


def test_collection_size_is_clamped_to_what_the_api_answers() -> None:
    s = parse_settings({"http_api": {"collection_size": 500}})
    assert s.http_api.page_size == 250
    assert parse_settings({"http_api": {"collection_size": 40}}).http_api.page_size == 40


def test_collection_size_above_the_maximum_is_lowered_with_a_notice() -> None:
    s = parse_settings({"http_api": {"collection_size": 1000}})
    assert s.http_api.collection_size == 500
    assert s.to_document()["http_api"]["collection_size"] == 500
    assert s.notices == ["http_api.collection_size: 1000 is above the maximum of 500; 500 is used"]
    assert parse_settings({"http_api": {"collection_size": 500}}).notices == []
    assert parse_settings(s.to_document()).notices == []


def test_replace_runs_as_append_when_scheduled() -> None:
    s = parse_settings({"http_api": {"api_behaviour": "replace"}})
    assert s.http_api.scheduled_behaviour == "append"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"schedule": {"process_batch_size": 0}},
            "schedule.process_batch_size: must be at least 1",
        ),
        ({"http_api": {"collection_size": 0}}, "http_api.collection_size: must be at least 1"),
        ({"http_api": {"api_behaviour": "merge"}}, "http_api.api_behaviour: got 'merge'"),
        (
            {"store": {"store_mapping": [{"store_id": 1, "plenty_id": 1, "locale": "german"}]}},
            "store.store_mapping[0].locale: must be a two-letter",
        ),
        (
            {"customer": {"gender_mapping": [{"prefix": "Mr", "gender": "gentleman"}]}},
            "customer.gender_mapping[0].gender",
        ),
        (
            {
                "customer": {
                    "address_field_mapping": [{"magento_field": "fax", "plenty_field": "fax"}]
                }
            },
            "no fax field",
        ),
        ({"log": {"verbose": True}}, "log.verbose: is not a known setting"),
    ],
)
def test_bad_values_name_their_field(document: dict, expected: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ProfileInputError) as caught:
        parse_settings(document)
    assert any(expected in line for line in caught.value.lines), caught.value.lines


def test_a_required_address_field_left_unmapped_is_named() -> None:
    rows = [
        r
        for r in ProfileSettings().customer.model_dump()["address_field_mapping"]
        if r["magento_field"] != "postcode"
    ]
    with pytest.raises(ProfileInputError) as caught:
        parse_settings({"customer": {"address_field_mapping": rows}})
    assert "customer: " in caught.value.lines[0]
    assert "postcode -> postalCode" in caught.value.lines[0]


def test_the_vendor_names_are_accepted_as_aliases() -> None:
    rows = [
        {"magento_field": "firstname", "plenty_field": "firstName"},
        {"magento_field": "lastname", "plenty_field": "lastName"},
        {"magento_field": "street", "plenty_field": "street"},
        {"magento_field": "city", "plenty_field": "town"},
        {"magento_field": "postcode", "plenty_field": "postalCode"},
        {"magento_field": "country_id", "plenty_field": "countryId"},
        {"magento_field": "company", "plenty_field": "companyName"},
        {"magento_field": "vat_id", "plenty_field": "taxIdNumber"},
        {"magento_field": "street[1]", "plenty_field": "address3"},
    ]
    s = parse_settings({"customer": {"address_field_mapping": rows}})
    mapped = {r.magento_field: r.plenty_field for r in s.customer.address_field_mapping}
    assert mapped["firstname"] == "name2" and mapped["company"] == "name1"
    assert mapped["street"] == "address1" and mapped["vat_id"] == "vatNumber"


def test_a_second_street_line_may_not_overwrite_the_house_number() -> None:
    rows = ProfileSettings().customer.model_dump()["address_field_mapping"]
    rows.append({"magento_field": "street[1]", "plenty_field": "address2"})
    with pytest.raises(ProfileInputError, match="house number"):
        parse_settings({"customer": {"address_field_mapping": rows}})


def test_gender_accepts_the_vendor_numbers_and_any_case() -> None:
    s = parse_settings(
        {
            "customer": {
                "gender_mapping": [
                    {"prefix": "Mr.", "gender": 1},
                    {"prefix": "Frau", "gender": "Female"},
                    {"prefix": "Firma", "gender": "4"},
                ]
            }
        }
    )
    assert [r.gender for r in s.customer.gender_mapping] == ["male", "female", "company"]
    assert s.customer.gender_for("MR") == "male" and s.customer.gender_for("mr.") == "male"
    assert s.customer.gender_for("Dr.") is None


def test_prefixes_compare_without_case_and_punctuation() -> None:
    assert prefix_key("Mr") == prefix_key("mr.") == prefix_key("MR.") == prefix_key(" M r ")
    with pytest.raises(ProfileInputError, match="same prefix"):
        parse_settings(
            {
                "customer": {
                    "gender_mapping": [
                        {"prefix": "Mr", "gender": "male"},
                        {"prefix": "MR.", "gender": "male"},
                    ]
                }
            }
        )


def test_store_rows_and_fallback() -> None:
    s = parse_settings(
        {
            "store": {
                "referrer_id": 1,
                "store_mapping": [
                    {"store_id": 1, "plenty_id": 1000, "locale": "EN"},
                    {"store_id": "*", "plenty_id": 2000, "locale": "de"},
                ],
                "website_referrers": [{"website_id": 2, "referrer_id": 4.01}],
            }
        }
    )
    assert s.store.row_for(1).plenty_id == 1000  # type: ignore[union-attr]
    assert s.store.row_for(9).plenty_id == 2000  # type: ignore[union-attr]
    assert s.store.referrer_for(2) == 4.01 and s.store.referrer_for(1) == 1
    filtered = parse_settings({"store": {**s.store.model_dump(), "is_active_store_filter": True}})
    assert filtered.store.row_for(9) is None
    assert filtered.covered_stores() == {1}
    with pytest.raises(ProfileInputError, match="more than once"):
        parse_settings(
            {
                "store": {
                    "store_mapping": [
                        {"store_id": 1, "plenty_id": 1, "locale": "en"},
                        {"store_id": 1, "plenty_id": 2, "locale": "de"},
                    ]
                }
            }
        )


def test_group_classes_fall_back_to_the_default_group() -> None:
    s = parse_settings(
        {
            "customer": {
                "default_group": 3,
                "group_mapping": [{"magento_group_id": 2, "plenty_class_id": 7}],
            }
        }
    )
    assert s.customer.class_for(2) == 7 and s.customer.class_for(1) == 3
    assert ProfileSettings().customer.class_for(1) is None


def test_b2b_trigger_needs_groups() -> None:
    with pytest.raises(ProfileInputError, match="b2b_group_ids"):
        parse_settings({"customer": {"account_trigger": "b2b_groups"}})


def test_the_document_round_trips_exactly() -> None:
    document = parse_settings(
        {
            "schedule": {"status": False, "process_batch_size": 50, "schedule_id": 3},
            "store": {
                "referrer_id": 1.5,
                "store_mapping": [{"store_id": None, "plenty_id": 1, "locale": "en"}],
            },
            "customer": {
                "gender_mapping": [{"prefix": "Herr", "gender": "male"}],
                "group_mapping": [{"magento_group_id": 1, "plenty_class_id": 2}],
            },
        }
    ).to_document()
    again = parse_settings(json.loads(json.dumps(document))).to_document()
    assert again == document


def test_error_lines_are_single_lines() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        ProfileSettings.model_validate({"schedule": {"process_batch_size": "many"}})
    lines = describe_errors(caught.value)
    assert lines == ["schedule.process_batch_size: must be a whole number"]
