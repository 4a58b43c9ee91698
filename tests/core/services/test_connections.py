"""Clients, sources and schedules through the services: views hold no secret, errors name fields."""

from __future__ import annotations

import pytest

from core.errors import ConfigError, FieldErrors
from core.services import connections, schedules
from core.sources import get_source, source_secrets


def test_a_client_is_created_edited_shown_without_its_password_and_removed(
    sqlite_db: str,
) -> None:
    made = connections.create_client(
        name="erp",
        base_url="https://erp.invalid/",
        username="api",
        password="very-secret",
        settings={"plan": "plus", "budget_share": 0.5},
    )
    assert made.base_url == "https://erp.invalid" and made.password_set
    assert "very-secret" not in repr(made)
    edited = connections.edit_client("erp", name="erp-2", settings={"budget_share": 0.25})
    assert (edited.name, edited.budget_share, edited.plan) == ("erp-2", 0.25, "plus")
    assert [c.name for c in connections.list_clients()] == ["erp-2"]
    with pytest.raises(FieldErrors) as caught:
        connections.edit_client("erp-2", settings={"budget_share": 2})
    assert caught.value.errors[0].path == "budget_share"
    assert connections.remove_client(made.id).name == "erp-2"
    assert connections.list_clients() == []


def test_a_source_keeps_secrets_not_named_and_a_new_mode_starts_afresh(sqlite_db: str) -> None:
    connections.create_source(
        name="shop",
        namespace="shop",
        base_url="https://shop.invalid",
        auth_mode="bearer",
        secrets={"token": "t1"},
    )
    edited = connections.edit_source("shop", settings={"page_size": 50, "store_code": None})
    assert edited.settings["page_size"] == 50 and edited.secrets_set == ("token",)
    oauth = dict.fromkeys(connections.secrets_needed("oauth1"), "k")
    changed = connections.edit_source("shop", auth_mode="oauth1", secrets=oauth)
    assert changed.auth_mode == "oauth1" and "token" not in changed.secrets_set
    assert source_secrets(get_source("shop"))["consumer_key"].reveal() == "k"
    with pytest.raises(ConfigError, match="cannot change"):
        connections.edit_source("shop", namespace="other")
    with pytest.raises(FieldErrors):
        connections.edit_source("shop", auth_mode="bearer", secrets={})
    assert connections.remove_source("shop").namespace == "shop"


def test_a_schedule_shows_its_next_due_time_and_profiles(sqlite_db: str) -> None:
    made = schedules.create_schedule(name="nightly", cron="0 2 * * *", timezone="Europe/Berlin")
    assert made.next_due is not None and made.next_due.hour == 2 and made.profiles == ()
    assert schedules.edit_schedule("nightly", cron="0 3 * * *").next_due.hour == 3  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="cron"):
        schedules.create_schedule(name="bad", cron="every day")
    assert [s.name for s in schedules.list_schedules()] == ["nightly"]
    assert schedules.remove_schedule("nightly").name == "nightly"
