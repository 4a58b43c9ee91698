"""Testing a client and a source against both sandboxes over HTTP, and against a dead port."""

from __future__ import annotations

import datetime as dt
import socket
import time
from zoneinfo import ZoneInfo

import pytest

from core.clients import blackout_fields
from core.errors import FieldErrors, InputError
from core.services import connections
from core.services.connection_checks import check_client, check_source
from core.services.schedules import next_fire_times
from tests.core.services.test_frozen_returns import frozen_value


def dead_url() -> str:
    """A loopback address nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_client_and_a_source_that_answer_pass(connected: tuple[str, str]) -> None:
    client, source = check_client("erp"), check_source("shop")
    assert frozen_value(client) and frozen_value(source)
    assert client.ok, client.message
    assert client.message == "logged in as api-user"
    assert source.ok, source.message
    assert "websites" in source.message and "store views" in source.message
    assert source.line().startswith(f"source 'shop' at {connected[1]}: ok: ")


def test_a_wrong_password_or_token_fails_with_the_reason(connected: tuple[str, str]) -> None:
    connections.edit_client("erp", password="not-the-password")
    connections.edit_source("shop", secrets={"token": "not-the-token"})
    client, source = check_client("erp"), check_source("shop")
    assert not client.ok and "credentials refused" in client.message
    assert not source.ok and "credentials refused" in source.message
    assert "not-the-password" not in client.line() and "not-the-token" not in source.line()


def test_a_dead_port_fails_quickly_and_says_which_url(sqlite_db: str) -> None:
    url = dead_url()
    connections.create_client(name="gone", base_url=url, username="u", password="p")
    connections.create_source(
        name="gone", namespace="gone", base_url=url, auth_mode="bearer", secrets={"token": "t"}
    )
    started = time.monotonic()
    client, source = check_client("gone"), check_source("gone")
    assert time.monotonic() - started < 3
    assert not client.ok and not source.ok
    assert url in client.line() and url in source.line()


def test_the_next_fire_times_are_in_the_schedules_zone() -> None:
    now = dt.datetime(2026, 3, 2, 9, 30)  # naive: UTC, as the database keeps time
    times = next_fire_times("*/15 9-17 * * mon-fri", "Europe/Berlin", 5, now)
    berlin = ZoneInfo("Europe/Berlin")
    assert [t.strftime("%H:%M") for t in times] == ["10:30", "10:45", "11:00", "11:15", "11:30"]
    assert all(t.tzinfo == berlin for t in times)
    friday = next_fire_times("0 17 * * fri", "UTC", 2, now)
    assert [t.date().isoformat() for t in friday] == ["2026-03-06", "2026-03-13"]


@pytest.mark.parametrize(
    ("cron", "zone", "paths"),
    [
        ("61 * * * *", "UTC", ["cron"]),
        ("* * *", "UTC", ["cron"]),
        ("0 2 * * *", "Mars/Base", ["timezone"]),
        ("nope", "nowhere", ["timezone", "cron"]),
    ],
)
def test_a_bad_cron_or_zone_is_refused_on_its_field(cron: str, zone: str, paths: list[str]) -> None:
    with pytest.raises(FieldErrors) as caught:
        next_fire_times(cron, zone)
    assert [e.path for e in caught.value.errors] == paths


def test_a_blackout_window_reads_back_what_describe_writes() -> None:
    assert blackout_fields("22:00-23:00/sat,sun@Europe/Berlin") == {
        "start": "22:00",
        "end": "23:00",
        "days": ["sat", "sun"],
        "timezone": "Europe/Berlin",
    }
    assert blackout_fields("01:00-03:00") == {"start": "01:00", "end": "03:00", "timezone": "UTC"}
    with pytest.raises(InputError, match="HH:MM-HH:MM"):
        blackout_fields("1-3")


def test_a_clients_settings_keep_explicit_budgets_apart_from_the_plan(sqlite_db: str) -> None:
    connections.create_client(
        name="erp",
        base_url="https://erp.invalid",
        username="api",
        password="pw",
        settings={
            "plan": None,
            "read_per_minute": 50,
            "write_per_minute": 20,
            "blackout_windows": [blackout_fields("01:00-02:00/mon@UTC")],
        },
        unset=("plan",),
    )
    view = connections.client_settings("erp")
    assert (view.plan, view.read_per_minute, view.write_per_minute) == (None, 50, 20)
    assert view.read_per_day is None
    assert view.blackout_windows == ("01:00-02:00/mon@UTC",)
    connections.edit_client("erp", settings={"plan": "plus"}, unset=("read_per_minute",))
    again = connections.client_settings("erp")
    assert (again.plan, again.read_per_minute, again.write_per_minute) == ("plus", None, 20)
    with pytest.raises(FieldErrors):  # without a plan, both per-minute budgets are needed
        connections.edit_client("erp", unset=("plan",))
