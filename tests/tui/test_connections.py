"""Screen 5 against the real database and the sandboxes: create, edit, test, remove."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest

from core.clients import client_password, client_settings, get_client
from core.db.models import Client, MagentoSource, Schedule
from core.services import connections
from core.sources import source_secrets
from tests.core.services.test_connection_checks import dead_url
from tests.tui.connections_flow import (
    CLIENT,
    CRON,
    NAMESPACE,
    PASSWORD,
    SCHEDULE,
    SOURCE,
    TOKEN,
    ZONE,
    Sandboxes,
    create_connections_in_tui,
    create_source_in_tui,
    open_connections,
    sandboxes,
    save_form,
    type_into,
)
from tests.tui.test_flows import app_for, until
from tui.screens.client_form import ClientFormScreen
from tui.screens.confirm import Confirm
from tui.screens.connections import ConnectionsScreen
from tui.screens.schedule_form import ScheduleFormScreen
from tui.screens.source_form import SourceFormScreen
from tui.services import Services

pytestmark = pytest.mark.anyio
FROZEN = dt.datetime(2026, 3, 2, 9, 30, 0)


@pytest.fixture
def empty(secret_key: None) -> Iterator[Sandboxes]:
    """Both sandboxes and an empty database (with a secret key)."""
    with sandboxes() as urls:
        yield urls


def screen_text(app: object) -> str:
    return app.export_screenshot()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.slow  # about 10 s: three forms filled key by key, two connections tested
async def test_client_source_and_schedule_are_created_from_an_empty_database(
    empty: Sandboxes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert not Client.select().exists()
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await create_connections_in_tui(
            pilot, empty, blackout="01:00-01:30/sun@Europe/Berlin"
        )
        svg = screen_text(app)
        # Test connection for the new client and source: one read each, against the sandboxes.
        await pilot.press("c")
        await pilot.press("t")
        await until(pilot, lambda: screen.last_check is not None)
        assert screen.last_check is not None and screen.last_check.ok, screen.last_check
        assert screen.last_check.message == "logged in as api-user"
        await pilot.press("s")
        await pilot.press("t")
        await until(pilot, lambda: screen.last_check is not None)
        assert screen.last_check is not None and screen.last_check.ok, screen.last_check
        line = str(screen.query_one("#connections-line").render())
        assert f"source 'shop-tui' at {empty.shop_url}: ok" in line
        svg += screen_text(app)

    client = Client.get(Client.name == CLIENT)
    assert (client.base_url, client.username) == (empty.plenty_url, "api-user")
    assert client_password(client).reveal() == PASSWORD
    settings = client_settings(client)
    assert (settings.plan, settings.read_per_minute, settings.write_per_minute) == (
        None,
        6000,
        3000,
    )
    assert [w.describe() for w in settings.blackout_windows] == ["01:00-01:30/sun@Europe/Berlin"]
    source = MagentoSource.get(MagentoSource.name == SOURCE)
    assert (source.namespace, source.base_url, source.auth_mode) == (
        NAMESPACE,
        empty.shop_url,
        "bearer",
    )
    assert source_secrets(source)["token"].reveal() == TOKEN
    schedule = Schedule.get(Schedule.name == SCHEDULE)
    assert (schedule.cron, schedule.timezone) == (CRON, ZONE)
    # Typed secrets never reach the screen nor the log.
    for secret in (PASSWORD, TOKEN):
        assert secret not in svg
        assert secret not in caplog.text
        assert secret not in "\n".join(app.memory_log.lines)


async def test_editing_a_client_keeps_the_password_unless_it_is_retyped(
    empty: Sandboxes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    connections.create_client(
        name=CLIENT, base_url=empty.plenty_url, username="api-user", password=PASSWORD
    )
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_connections(pilot)
        await until(pilot, lambda: screen.table().current_key is not None)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        form = app.screen
        assert form.query_one("#f-password").value == ""  # nothing of the secret is loaded
        assert "unchanged unless retyped" in str(form.query_one("#f-password").placeholder)
        await type_into(pilot, "#f-username", "api-user")
        await type_into(pilot, "#f-budget-share", "0.4")
        await save_form(pilot)
        kept = get_client(CLIENT)
        assert client_password(kept).reveal() == PASSWORD
        assert client_settings(kept).budget_share == 0.4

        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        await type_into(pilot, "#f-password", "a-new-secret-7")
        svg = screen_text(app)
        await save_form(pilot)
        assert client_password(get_client(CLIENT)).reveal() == "a-new-secret-7"
        # The sandbox does not know that password: the test says the credentials are refused.
        await pilot.press("t")
        await until(pilot, lambda: screen.last_check is not None)
        assert screen.last_check is not None and not screen.last_check.ok
        assert "credentials refused" in screen.last_check.message
        svg += screen_text(app)
    for secret in (PASSWORD, "a-new-secret-7"):
        assert secret not in svg
        assert secret not in caplog.text
        assert secret not in "\n".join(app.memory_log.lines)


async def test_a_refused_client_shows_each_error_under_its_field_and_saves_nothing_until_fixed(
    empty: Sandboxes,
) -> None:
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_connections(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        form = app.screen
        await type_into(pilot, "#f-name", "bad")
        await type_into(pilot, "#f-base-url", "ftp://nowhere")
        await type_into(pilot, "#f-username", "u")
        await type_into(pilot, "#f-password", "pw")
        await type_into(pilot, "#f-budget-share", "2")
        await type_into(pilot, "#f-blackout-windows", "25:00-26:00@UTC")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "nothing saved" in str(form.query_one("#form-banner").render()))
        assert app.screen is form
        assert str(form.error_line("base_url").render()).startswith("✖ ")
        assert "at most 1" in str(form.error_line("budget_share").render())
        assert "HH:MM" in str(form.error_line("blackout_windows").render())
        assert str(form.error_line("username").render()) == ""
        assert app.focused is form.query_one("#f-base-url")
        assert not Client.select().exists()
        # Fixed, the same form saves; the client is in the database as typed.
        await type_into(pilot, "#f-base-url", empty.plenty_url)
        await type_into(pilot, "#f-budget-share", "0.5")
        await type_into(pilot, "#f-blackout-windows", "22:00-23:00/sat,sun@UTC")
        await save_form(pilot)
        await until(pilot, lambda: isinstance(app.screen, ConnectionsScreen))
    client = get_client("bad")
    assert (client.base_url, client.username) == (empty.plenty_url, "u")
    assert client_settings(client).budget_share == 0.5
    assert client_settings(client).plan == "basic"
    assert [w.describe() for w in client_settings(client).blackout_windows] == [
        "22:00-23:00/sat,sun@UTC"
    ]


async def test_an_invalid_cron_cannot_be_saved_and_fire_times_follow_the_typing(
    secret_key: None,
) -> None:
    services = Services()
    services.open()
    services.start_embedded = lambda: False  # type: ignore[method-assign]
    from tui.app import PlentysyncApp

    app = PlentysyncApp(services, clock=lambda: FROZEN, manage_logging=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_connections(pilot)
        await pilot.press("h", "n")
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormScreen))
        form = app.screen
        await type_into(pilot, "#f-name", "every-quarter")
        await type_into(pilot, "#f-timezone", "Europe/Berlin")
        await type_into(pilot, "#f-cron", "*/15 9-17 * * mon-fri")
        await until(pilot, lambda: form.cron_ok and form.fire_times is not None)
        shown = str(form.query_one("#fire-times").render())
        # 09:30 UTC is 10:30 in Berlin (CET): the next five quarters from there.
        assert shown.splitlines() == [
            f"Mon 2026-03-02 {hhmm} CET" for hhmm in ("10:30", "10:45", "11:00", "11:15", "11:30")
        ]
        await type_into(pilot, "#f-cron", "61 * * * *")
        await until(pilot, lambda: not form.cron_ok)
        assert "maximum value" in str(form.error_line("cron").render())
        assert "none" in str(form.query_one("#fire-times").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "nothing saved" in str(form.query_one("#form-banner").render()))
        assert app.screen is form
        assert not Schedule.select().exists()
        await type_into(pilot, "#f-timezone", "Mars/Base")
        await until(pilot, lambda: "unknown time zone" in str(form.error_line("timezone").render()))
        await type_into(pilot, "#f-timezone", "Europe/Berlin")
        await type_into(pilot, "#f-cron", "0 6 * * *")
        await until(pilot, lambda: form.cron_ok)
        await save_form(pilot)
    schedule = Schedule.get(Schedule.name == "every-quarter")
    assert (schedule.cron, schedule.timezone) == ("0 6 * * *", "Europe/Berlin")


async def test_a_source_is_edited_with_its_namespace_fixed_and_removed_by_typing_its_name(
    empty: Sandboxes,
) -> None:
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_connections(pilot)
        await create_source_in_tui(pilot, empty)
        created = MagentoSource.get(MagentoSource.name == SOURCE)
        assert (created.namespace, created.base_url) == (NAMESPACE, empty.shop_url)
        assert source_secrets(created)["token"].reveal() == TOKEN
        await until(pilot, lambda: screen.table().current_key is not None)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, SourceFormScreen))
        form = app.screen
        assert form.query_one("#f-namespace").disabled
        assert form.query_one("#w-secrets-token").display
        assert not form.query_one("#w-secrets-consumer-key").display
        form.query_one("#f-auth-mode").value = "oauth1"
        await pilot.pause()
        assert form.query_one("#w-secrets-consumer-key").display
        await pilot.press("ctrl+s")  # a new auth kind without its four secrets is refused
        await until(pilot, lambda: "4 problems" in str(form.query_one("#form-banner").render()))
        form.query_one("#f-auth-mode").value = "bearer"
        await type_into(pilot, "#f-name", "shop-renamed")
        await save_form(pilot)
        source = MagentoSource.get(MagentoSource.namespace == NAMESPACE)
        assert source.name == "shop-renamed"
        assert source_secrets(source)["token"].reveal() == TOKEN  # kept: not retyped

        await until(pilot, lambda: "shop-renamed" in [s.name for s in screen.board.sources])
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await type_into(pilot, "#typed", "shop-renamed")
        await pilot.press("enter")
        await until(pilot, lambda: not MagentoSource.select().exists())
        await until(pilot, lambda: not screen.board.sources)


async def test_testing_a_dead_port_says_which_url(secret_key: None) -> None:
    url = dead_url()
    services = Services()
    services.open()
    app = app_for(services)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_connections(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        await type_into(pilot, "#f-name", "gone")
        await type_into(pilot, "#f-base-url", url)
        await type_into(pilot, "#f-username", "u")
        await type_into(pilot, "#f-password", "p")
        await save_form(pilot)
        await until(pilot, lambda: bool(screen.board and screen.board.clients))
        await until(pilot, lambda: screen.table().current_key is not None)
        await pilot.press("t")
        await until(pilot, lambda: screen.last_check is not None, timeout=10)
        line = str(screen.query_one("#connections-line").render())
        assert line.startswith("✖ client 'gone' at ") and url in line


async def test_a_viewer_sees_the_connections_but_cannot_open_a_form(secret_key: None) -> None:
    connections.create_client(
        name="erp", base_url="https://erp.example.com", username="api", password="pw"
    )
    app = app_for(Services(viewer=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_connections(pilot)
        assert [c.name for c in screen.board.clients] == ["erp"]
        await pilot.press("n", "e", "delete")
        await pilot.pause(0.2)
        assert app.screen is screen
        footer = screen_text(app).replace("&#160;", " ")
        assert "Test connection" in footer and " New " not in footer
