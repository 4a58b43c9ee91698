"""Base URLs: what a client or source accepts before anything is stored; field messages."""

from __future__ import annotations

import pydantic
import pytest

from core.errors import ConfigError
from core.profiles.settings import ProfileSettings
from core.validation import check_base_url, field_errors


def test_a_base_url_keeps_its_path_and_loses_the_trailing_slash() -> None:
    assert check_base_url(" https://shop.example.com/de/ ", "x") == "https://shop.example.com/de"
    assert check_base_url("http://127.0.0.1:8080", "x") == "http://127.0.0.1:8080"


@pytest.mark.parametrize("url", ["shop.example.com", "mailto:a@b.c", "http://", "https://h?x=1"])
def test_a_base_url_without_scheme_or_host_is_refused_by_name(url: str) -> None:
    with pytest.raises(ConfigError, match=r"^the Magento base URL "):
        check_base_url(url, "the Magento base URL")


def test_an_empty_value_where_one_is_needed_is_required_not_of_the_wrong_type() -> None:
    row = {"store_id": None, "plenty_id": None, "locale": None}  # a row nothing was chosen in
    with pytest.raises(pydantic.ValidationError) as caught:
        ProfileSettings.model_validate({"store": {"store_mapping": [row]}})
    messages = {e.path: e.message for e in field_errors(caught.value)}
    assert messages == {
        "store.store_mapping[0].plenty_id": "is required",
        "store.store_mapping[0].locale": "is required",
    }
    with pytest.raises(pydantic.ValidationError) as caught:
        ProfileSettings.model_validate({"store": {"store_mapping": [row | {"plenty_id": "x"}]}})
    messages = {e.path: e.message for e in field_errors(caught.value)}
    assert messages["store.store_mapping[0].plenty_id"] == "must be a whole number"
