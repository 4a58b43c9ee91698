"""Magento sources: editing one field leaves the others as they are."""

from __future__ import annotations

from core.sources import SourceCredentials, create_source, source_secrets, update_source


def test_an_edit_changes_only_what_it_is_given(sqlite_db: str) -> None:
    source = create_source(
        name="shop",
        namespace="shop-eu",
        base_url="https://shop.test/",
        credentials=SourceCredentials(auth_mode="bearer", values={"token": "t-1"}),
    )
    update_source(
        source,
        name=None,
        base_url=None,
        username=None,
        credentials=SourceCredentials(auth_mode="bearer", values={"token": "t-2"}),
    )
    assert (source.name, source.base_url) == ("shop", "https://shop.test")
    assert source_secrets(source)["token"].reveal() == "t-2"
    update_source(source, base_url="https://new.test/")
    assert source.base_url == "https://new.test"
