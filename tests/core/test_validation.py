"""Base URLs: what a client or source accepts before anything is stored."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.validation import check_base_url


def test_a_base_url_keeps_its_path_and_loses_the_trailing_slash() -> None:
    assert check_base_url(" https://shop.example.com/de/ ", "x") == "https://shop.example.com/de"
    assert check_base_url("http://127.0.0.1:8080", "x") == "http://127.0.0.1:8080"


@pytest.mark.parametrize("url", ["shop.example.com", "mailto:a@b.c", "http://", "https://h?x=1"])
def test_a_base_url_without_scheme_or_host_is_refused_by_name(url: str) -> None:
    with pytest.raises(ConfigError, match=r"^the Magento base URL "):
        check_base_url(url, "the Magento base URL")
