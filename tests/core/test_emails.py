"""E-mail normalisation and validation."""

from __future__ import annotations

import pytest

from core.emails import is_valid_email, normalise_email, validated_email
from core.errors import DataError


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  Jane.Doe@Example.COM \n", "jane.doe@example.com"),
        ("STRASSE@beispiel.de", "strasse@beispiel.de"),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalise_email_trims_and_case_folds(raw: str | None, key: str):
    assert normalise_email(raw) == key


def test_validated_email_returns_the_key():
    assert validated_email(" Max@Example.org ") == "max@example.org"


@pytest.mark.parametrize("raw", ["", "no-at-sign", "two@@example.com", "a@b"])
def test_invalid_addresses_are_data_errors_that_do_not_quote_the_address(raw: str):
    with pytest.raises(DataError) as caught:
        validated_email(raw)
    assert raw not in str(caught.value) or not raw
    assert not is_valid_email(raw)
