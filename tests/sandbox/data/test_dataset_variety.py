"""The generated shop is deterministic and as varied as real shops are."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest
from stdnum.eu import vat

from sandbox.data import SUMMARY_FIELDS, Dataset, DatasetConfig, build_customer, customer_summary

N = 1500


@pytest.fixture(scope="module")
def customers() -> list[dict]:
    dataset = Dataset(DatasetConfig(customers=N, seed=5, dirty_share=0.0))
    return [c for i in range(1, N + 1) if (c := dataset.customer(i)) is not None]


def _addresses(customers: list[dict]) -> list[dict]:
    return [a for c in customers for a in c["addresses"]]


def test_same_seed_same_customer_other_seed_other_customer() -> None:
    assert build_customer(3, 77, 0.05) == build_customer(3, 77, 0.05)
    assert build_customer(3, 77, 0.05) != build_customer(4, 77, 0.05)
    first = Dataset(DatasetConfig(customers=50, seed=9))
    second = Dataset(DatasetConfig(customers=50, seed=9))
    assert [first.customer(i) for i in range(1, 51)] == [
        second.customer(i) for i in range(50, 0, -1)
    ][::-1]


def test_summary_agrees_with_the_whole_customer() -> None:
    for index in range(1, 400):
        summary = customer_summary(8, index, 0.1)
        whole = build_customer(8, index, 0.1)
        for field in SUMMARY_FIELDS - {"entity_id"}:
            assert summary.get(field) == whole.get(field), (index, field)


def test_ids_are_one_to_n_and_out_of_range_is_none() -> None:
    dataset = Dataset(DatasetConfig(customers=10, seed=1))
    assert list(dataset.ids()) == list(range(1, 11))
    assert dataset.customer(0) is None and dataset.customer(11) is None


def test_scopes_websites_store_views_and_admin_created(customers: list[dict]) -> None:
    assert {c["website_id"] for c in customers} == {1, 2, 3}
    assert {c["store_id"] for c in customers} == {0, 1, 2, 3, 4, 5, 6}
    admin = [c for c in customers if c["store_id"] == 0]
    assert admin and all(c["created_in"] == "Admin" for c in admin)


def test_groups_genders_and_prefixes(customers: list[dict]) -> None:
    assert {c["group_id"] for c in customers} == {1, 2, 3, 4, 5}
    assert {c.get("gender") for c in customers} == {None, 0, 1, 2, 3}
    prefixes = {c.get("prefix") for c in customers}
    assert {None, "Mr.", "Mrs.", "Herr", "Frau", "M.", "Mme"} <= prefixes


def test_names_go_beyond_ascii(customers: list[dict]) -> None:
    names = " ".join(f"{c['firstname']} {c['lastname']}" for c in customers)
    assert re.search(r"[äöüÄÖÜß]", names)
    assert re.search(r"[éèêçàë]", names)
    assert re.search(r"[łśżźćńąę]", names)
    assert re.search(r"[\u4e00-\u9fff]", names)  # Chinese
    assert re.search(r"[\u0600-\u06ff]", names)  # Arabic


def test_address_counts_street_lines_and_number_formats(customers: list[dict]) -> None:
    counts = Counter(len(c["addresses"]) for c in customers)
    assert set(counts) == {0, 1, 2, 3, 4}
    addresses = _addresses(customers)
    assert {len(a["street"]) for a in addresses} == {1, 2, 3}
    first_lines = [a["street"][0] for a in addresses]
    assert any(re.fullmatch(r"\D+ \d+[a-c]", line) for line in first_lines)  # Hauptstr. 12a
    assert any(re.fullmatch(r"\d+ \D+", line) for line in first_lines)  # 12 Main Street
    assert any(re.search(r"\d+ (bis|ter)$", line) for line in first_lines)  # Rue ... 5 bis
    assert any("str. " in line for line in first_lines)  # abbreviated Straße


def test_regions_for_us_canada_and_australia(customers: list[dict]) -> None:
    for address in _addresses(customers):
        region = address["region"]
        assert set(region) == {"region_code", "region", "region_id"}
        if address["country_id"] in ("US", "CA", "AU"):
            assert region["region_id"] > 0 and region["region_code"]
            assert address["region_id"] == region["region_id"]
        else:
            assert region == {"region_code": None, "region": None, "region_id": 0}
    assert {a["country_id"] for a in _addresses(customers)} >= {"US", "CA", "AU", "DE", "FR"}


def test_companies_carry_valid_eu_vat_ids(customers: list[dict]) -> None:
    vat_ids = [a["vat_id"] for a in _addresses(customers) if "vat_id" in a]
    assert len(vat_ids) > 20
    assert all(vat.is_valid(v) for v in vat_ids)
    assert {v[:2] for v in vat_ids} >= {"DE", "FR"}
    assert any("company" in a for a in _addresses(customers))
    assert all(vat.is_valid(c["taxvat"]) for c in customers if "taxvat" in c)


def test_magento_json_habits(customers: list[dict]) -> None:
    for c in customers:
        assert isinstance(c["addresses"], list)
        assert None not in c.values()
        if "default_billing" in c:
            assert isinstance(c["default_billing"], str)
            assert any(a.get("default_billing") is True for a in c["addresses"])
        assert "extension_attributes" in c
        assert "custom_attributes" not in c or c["custom_attributes"]
        datetime.strptime(c["updated_at"], "%Y-%m-%d %H:%M:%S")
        assert c["updated_at"] >= c["created_at"]
    assert any("dob" in c for c in customers) and any("dob" not in c for c in customers)
    assert all(a.get("telephone") for a in _addresses(customers))


def test_many_customers_share_one_updated_at_second(customers: list[dict]) -> None:
    per_second = Counter(c["updated_at"] for c in customers)
    assert max(per_second.values()) >= 10


def test_emails_are_unique_per_website_when_clean(customers: list[dict]) -> None:
    keys = [(c["website_id"], c["email"].lower()) for c in customers]
    assert len(keys) == len(set(keys))
