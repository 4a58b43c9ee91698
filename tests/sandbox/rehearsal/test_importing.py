"""Joining the fixture's customers and addresses: ids, defaults, websites and refused rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox.rehearsal import RehearsalImport, import_exports
from tests.sandbox.rehearsal.support import FIXTURE, SECRET_MARKERS


@pytest.fixture(scope="module")
def found() -> RehearsalImport:
    return import_exports(FIXTURE)


def _by_email(found: RehearsalImport, email: str, website_id: int) -> dict[str, Any]:
    return next(
        c for c in found.shop.customers if c["email"] == email and c["website_id"] == website_id
    )


def test_counts_agree_with_the_rows(found: RehearsalImport) -> None:
    assert len(found.shop.customers) == 10 and found.addresses == 10
    # 14 customer rows and 14 address rows: every row is either imported or refused.
    assert found.refused_rows == 8 == len(found.errors)
    assert len(found.shop.customers) + 4 == 14 and found.addresses + 4 == 14


def test_every_refused_row_names_file_line_column_and_reason(found: RehearsalImport) -> None:
    assert [str(p) for p in found.errors] == [
        "customers.csv:11: column dob: '31.02.1990' is not a date (YYYY-MM-DD)",
        "customers.csv:12: column group_id: 'wholesale' is not a whole number",
        "customers.csv:13: column email: anna.kowalczyk@example.org on base twice "
        "(also customers.csv:2)",
        "customers.csv:14: column email: empty: rows are keyed by e-mail and website",
        "addresses.csv:17: column _email: m.rossi@example.it on de_shop: "
        "its customer row was refused",
        "addresses.csv:18: column _email: nobody@example.com on base: no such customer",
        "addresses.csv:19: column _address_default_billing_: 'yes' is not 0 or 1",
        "addresses.csv:21: column _entity_id: 102 twice (also addresses.csv:20)",
    ]


def test_ids_are_synthetic_and_follow_the_file(found: RehearsalImport) -> None:
    customers = found.shop.customers
    assert [c["id"] for c in customers] == list(range(1, 11))
    address_ids = [a["id"] for c in customers for a in c["addresses"]]
    assert sorted(address_ids) == list(range(1, 11))
    assert all(a["customer_id"] == c["id"] for c in customers for a in c["addresses"])


def test_same_email_on_two_websites_is_two_customers(found: RehearsalImport) -> None:
    retail = _by_email(found, "t.hartmann@example.net", 2)
    trade = _by_email(found, "t.hartmann@example.net", 3)
    assert retail["id"] != trade["id"] and trade["group_id"] == 2
    assert trade["taxvat"] == "DE287415930"
    assert [a["company"] for a in trade["addresses"]] == ["Hartmann Metallbau GmbH"]
    assert trade["addresses"][0]["vat_id"] == "DE287415930"
    # A B2B address that is the default billing address only: no default shipping.
    assert trade["default_billing"] == str(trade["addresses"][0]["id"])
    assert "default_shipping" not in trade


def test_addresses_join_case_insensitively_with_defaults_and_regions(
    found: RehearsalImport,
) -> None:
    anna = _by_email(found, "anna.kowalczyk@example.org", 1)
    home, office = anna["addresses"]
    assert home["street"] == ["1420 Larkspur Ave", "Apt 3B"]
    assert home["region"] == {"region_code": "CA", "region": "California", "region_id": 12}
    assert office["region"]["region_id"] == 12  # "CA" named by its code, no id in the file
    assert anna["default_billing"] == anna["default_shipping"] == str(home["id"])
    assert home["default_billing"] and "default_billing" not in office
    assert anna["custom_attributes"] == [{"attribute_code": "loyalty_number", "value": "LY-100231"}]
    assert anna["gender"] == 2 and anna["dob"] == "1984-06-02"


def test_missing_defaults_and_repaired_text(found: RehearsalImport) -> None:
    atelier = _by_email(found, "compta@atelier-lefevre.example.fr", 3)
    assert "default_billing" not in atelier and "default_shipping" not in atelier
    assert atelier["addresses"][0]["street"] == ["14 rue de la Charité", "Bâtiment B", "Escalier 3"]
    mueller = _by_email(found, "j.mueller@example.de", 2)
    assert (mueller["firstname"], mueller["lastname"]) == ("Jürgen", "Müller")
    assert mueller["addresses"][0]["city"] == "München"  # the Windows-1252 file, read right
    assert not _by_email(found, "no.address@example.com", 1)["addresses"]
    # The later of two default rows ("yes" was refused) is Claire's default.
    claire = _by_email(found, "claire.dubois@example.fr", 3)
    assert claire["default_billing"] == str(claire["addresses"][0]["id"])


def test_layout_carries_the_shops_own_websites_and_store_views(found: RehearsalImport) -> None:
    layout = found.shop.layout
    assert [(w.id, w.code) for w in layout.websites] == [
        (0, "admin"), (1, "base"), (2, "de_shop"), (3, "b2b")
    ]  # fmt: skip
    assert [(v.id, v.code, v.website_id) for v in layout.store_views] == [
        (0, "admin", 0), (1, "default", 1), (2, "de", 2), (3, "at", 2), (4, "b2b_en", 3)
    ]  # fmt: skip
    assert [g.id for g in layout.customer_groups] == [0, 1, 2, 3, 4]
    admin_made = _by_email(found, "w.oyelaran@example.co.uk", 1)
    assert admin_made["store_id"] == 0 and admin_made["created_in"] == "Admin"


def test_no_secret_reaches_the_shop(found: RehearsalImport) -> None:
    text = json.dumps(found.shop.to_json())
    assert not any(marker in text for marker in SECRET_MARKERS)
    assert "password" not in text and "rp_token" not in text and "lock_expires" not in text


def test_contradicting_website_ids_are_refused(tmp_path: Path) -> None:
    main = tmp_path / "main.csv"
    main.write_text(
        "email,_website,_store,website_id,store_id,group_id,created_at\n"
        "a@example.com,base,default,1,1,1,2020-01-01 10:00:00\n"
        "b@example.com,base,default,2,1,1,2020-01-01 10:00:00\n"
        "c@example.com,eu,default,2,1,1,2020-01-01 10:00:00\n",
        encoding="utf-8",
    )
    found = import_exports([main])
    assert [c["email"] for c in found.shop.customers] == ["a@example.com"]
    assert [str(p) for p in found.errors] == [
        "main.csv:3: column _website: website 'base' has id 1 in earlier rows",
        "main.csv:4: column _website: store view 'default' belongs to another website in "
        "earlier rows",
    ]
