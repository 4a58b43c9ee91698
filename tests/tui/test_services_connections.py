"""The connections façade over a real SQLite database: forms in, field errors or rows out."""

from __future__ import annotations

import datetime as dt

import pytest

from core.clients import client_password, client_settings, get_client
from core.db.models import Client, MagentoSource, Schedule
from core.errors import ConfigError, FieldErrors
from core.sources import get_source, source_secrets
from tui.services import Services
from tui.services_connections import ClientForm, ScheduleForm, SourceForm


@pytest.fixture
def services(secret_key: None) -> Services:
    services = Services()
    services.open()
    return services


def client_form(**changes: object) -> ClientForm:
    values: dict[str, object] = {
        "name": "erp",
        "base_url": "https://erp.example.com",
        "username": "api",
        "password": "pw-1",
    }
    values.update(changes)
    return ClientForm(**values)  # type: ignore[arg-type]


def paths(caught: pytest.ExceptionInfo[FieldErrors]) -> list[str]:
    return [e.path for e in caught.value.errors]


def test_every_problem_of_a_client_form_is_named_at_once_and_nothing_is_saved(
    services: Services,
) -> None:
    with pytest.raises(FieldErrors) as caught:
        services.save_client(
            client_form(
                name="",
                base_url="erp.example.com",
                password="",
                budget_share="1.5",
                budgets={"read_per_minute": "0"},
                blackout_windows="01:00-02:00@UTC 3-4",
            )
        )
    assert paths(caught) == [
        "name",
        "base_url",
        "password",
        "blackout_windows",
        "read_per_minute",
        "budget_share",
    ]
    assert not Client.select().exists()


def test_explicit_budgets_without_a_plan_need_both_per_minute_figures(services: Services) -> None:
    with pytest.raises(FieldErrors) as caught:
        services.save_client(client_form(plan="", budgets={"read_per_minute": "100"}))
    assert "without a plan" in str(caught.value)
    saved = services.save_client(
        client_form(plan="", budgets={"read_per_minute": "100", "write_per_minute": "40"})
    )
    assert (saved.plan, saved.budget["write_per_minute"]) == (None, 40)
    # Back to a plan, with the explicit figures emptied: the plan's budget again.
    again = services.save_client(client_form(plan="flex", password=""), saved.id)
    settings = client_settings(get_client(saved.id))
    assert (again.plan, settings.read_per_minute, settings.write_per_minute) == ("flex", None, None)


def test_an_empty_password_on_edit_keeps_the_stored_one(services: Services) -> None:
    made = services.save_client(client_form())
    services.save_client(client_form(password="", username="api-2"), made.id)
    row = get_client(made.id)
    assert (row.username, client_password(row).reveal()) == ("api-2", "pw-1")
    services.save_client(client_form(password="pw-2"), made.id)
    assert client_password(get_client(made.id)).reveal() == "pw-2"


def test_a_name_that_is_taken_is_refused_on_the_name_field(services: Services) -> None:
    services.save_client(client_form())
    other = services.save_client(client_form(name="erp-2"))
    with pytest.raises(FieldErrors) as caught:
        services.save_client(client_form(name="erp", password=""), other.id)
    assert paths(caught) == ["name"]


def test_a_source_keeps_its_namespace_and_secrets_unless_retyped(services: Services) -> None:
    form = SourceForm(
        name="shop",
        namespace="shop-eu",
        base_url="https://shop.example.com",
        auth_mode="bearer",
        secrets={"token": "tok-1"},
    )
    with pytest.raises(FieldErrors) as caught:
        services.save_source(SourceForm("shop", "", "https://shop.example.com", "oauth1"))
    assert paths(caught) == [
        "namespace",
        "secrets.consumer_key",
        "secrets.consumer_secret",
        "secrets.access_token",
        "secrets.access_token_secret",
    ]
    made = services.save_source(form)
    edited = services.save_source(
        SourceForm("shop-2", "ignored", "https://shop.example.com", "bearer"), made.id
    )
    assert (edited.name, edited.namespace) == ("shop-2", "shop-eu")
    assert source_secrets(get_source(made.id))["token"].reveal() == "tok-1"
    with pytest.raises(FieldErrors) as caught:
        services.save_source(SourceForm("shop-2", "", "https://shop.example.com", "admin"), made.id)
    assert paths(caught) == ["username", "secrets.password"]
    assert MagentoSource.get_by_id(made.id).auth_mode == "bearer"


def test_a_schedule_with_a_bad_cron_is_refused_before_anything_is_written(
    services: Services,
) -> None:
    with pytest.raises(FieldErrors) as caught:
        services.save_schedule(ScheduleForm("nightly", "0 25 * * *", "UTC"))
    assert paths(caught) == ["cron"]
    assert not Schedule.select().exists()
    made = services.save_schedule(ScheduleForm("nightly", "0 2 * * *", "Europe/Berlin"))
    times = services.next_fire_times("0 2 * * *", "Europe/Berlin", dt.datetime(2026, 6, 30, 12))
    assert [t.strftime("%d %H:%M %Z") for t in times] == [
        f"{day:02d} 02:00 CEST" for day in range(1, 6)
    ]
    assert [s.name for s in services.connections_board().schedules] == [made.name]


def test_a_viewer_changes_nothing(secret_key: None) -> None:
    viewer = Services(viewer=True)
    viewer.open()
    with pytest.raises(ConfigError, match="viewer"):
        viewer.save_client(client_form())
    with pytest.raises(ConfigError, match="viewer"):
        viewer.save_schedule(ScheduleForm("nightly", "0 2 * * *"))
    assert not Client.select().exists()
