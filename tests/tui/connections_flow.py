"""Setting up connections through the TUI, as an operator would, for any pilot test.

``create_connections_in_tui(pilot, urls)`` starts on whatever screen the app shows, goes to
screen 5 and creates a PlentyONE client, a Magento source and a schedule on the sandboxes at
``urls.plenty_url`` and ``urls.shop_url`` (a ``Demo`` or ``Sandboxes``), each through its
form, and comes back when all three are listed. The names are ``CLIENT``, ``SOURCE`` and
``SCHEDULE``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from cli.demo import DEMO_PASSWORD, DEMO_USER
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from tests.tui.test_flows import until
from tui.screens.client_form import ClientFormScreen
from tui.screens.connections import ConnectionsScreen
from tui.screens.schedule_form import ScheduleFormScreen
from tui.screens.source_form import SourceFormScreen

CLIENT, SOURCE, SCHEDULE = "erp-tui", "shop-tui", "nightly-tui"
NAMESPACE = "shop-tui"
PASSWORD, TOKEN = DEMO_PASSWORD, DEFAULT_INTEGRATION_TOKEN
CRON, ZONE = "30 2 * * *", "Europe/Berlin"


class Urls(Protocol):
    @property
    def plenty_url(self) -> str: ...

    @property
    def shop_url(self) -> str: ...


@dataclass(frozen=True)
class Sandboxes:
    plenty_url: str
    shop_url: str


@contextmanager
def sandboxes(customers: int = 24) -> Iterator[Sandboxes]:
    """Both emulators over loopback HTTP, and nothing in the database."""
    limits = RateLimits(short_read=6000, short_write=3000, long_read=10**8, long_write=10**8)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=customers, seed=7, orders=0))
        ) as shop,
    ):
        yield Sandboxes(plenty.base_url, shop.base_url)


async def type_into(pilot: Any, selector: str, text: str) -> None:
    """Replace what the input ``selector`` of the current screen holds with ``text``.

    All but the last character are pasted (typing each key costs a screen refresh); the last
    is a key press, so the input sees the keyboard as it would.
    """
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = text[:-1]
    await pilot.pause()
    await pilot.press("end")  # focus selects all: typing would replace it
    if text:
        await pilot.press(text[-1])


async def save_form(pilot: Any) -> None:
    """Save the open form and wait until it has closed."""
    form = pilot.app.screen
    await pilot.press("ctrl+s")

    def refused() -> str:
        if not form.is_attached:
            return ""
        lines = [str(form.query_one("#form-banner").render())]
        lines += [f"{w.id}: {w.render()}" for w in form.query(".field-error") if str(w.render())]
        return " | ".join(lines)

    await until(pilot, lambda: pilot.app.screen is not form or "nothing saved" in refused())
    assert pilot.app.screen is not form, f"the form was refused: {refused()}"


async def open_connections(pilot: Any) -> ConnectionsScreen:
    await pilot.press("5")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConnectionsScreen))
    screen: ConnectionsScreen = pilot.app.screen
    await until(pilot, lambda: screen.board is not None)
    return screen


async def new_form(pilot: Any, section: str, kind: type) -> None:
    await pilot.press({"clients": "c", "sources": "s", "schedules": "h"}[section])
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, kind))
    await pilot.pause()


async def create_client_in_tui(
    pilot: Any, urls: Urls, *, plan: str | None = None, blackout: str = ""
) -> None:
    """Fill the client form: the sandbox's URL and user, the password, explicit budgets
    (the emulator's generous ones) or ``plan``, and the ``blackout`` windows typed."""
    await new_form(pilot, "clients", ClientFormScreen)
    await type_into(pilot, "#f-name", CLIENT)
    await type_into(pilot, "#f-base-url", urls.plenty_url)
    await type_into(pilot, "#f-username", DEMO_USER)
    await type_into(pilot, "#f-password", PASSWORD)
    pilot.app.screen.query_one("#f-plan").value = plan or ""
    await type_into(pilot, "#f-read-per-minute", "6000")
    await type_into(pilot, "#f-write-per-minute", "3000")
    if blackout:
        await type_into(pilot, "#f-blackout-windows", blackout)
    await save_form(pilot)


async def create_source_in_tui(pilot: Any, urls: Urls) -> None:
    """Fill the source form: the shop's URL, bearer auth and its integration token."""
    await new_form(pilot, "sources", SourceFormScreen)
    await type_into(pilot, "#f-name", SOURCE)
    await type_into(pilot, "#f-namespace", NAMESPACE)
    await type_into(pilot, "#f-base-url", urls.shop_url)
    pilot.app.screen.query_one("#f-auth-mode").value = "bearer"
    await type_into(pilot, "#f-secrets-token", TOKEN)
    await save_form(pilot)


async def create_schedule_in_tui(pilot: Any) -> None:
    await new_form(pilot, "schedules", ScheduleFormScreen)
    await type_into(pilot, "#f-name", SCHEDULE)
    await type_into(pilot, "#f-cron", CRON)
    await type_into(pilot, "#f-timezone", ZONE)
    form = pilot.app.screen
    await until(pilot, lambda: form.cron_ok)
    await save_form(pilot)


async def create_connections_in_tui(
    pilot: Any, urls: Urls, *, blackout: str = ""
) -> ConnectionsScreen:
    """Client, source and schedule through screen 5; returns the screen once it lists them.

    No blackout window unless given: an export test run at that hour would wait for it.
    """
    screen = await open_connections(pilot)
    await create_client_in_tui(pilot, urls, blackout=blackout)
    await create_source_in_tui(pilot, urls)
    await create_schedule_in_tui(pilot)

    def listed() -> bool:
        board = screen.board
        return (
            board is not None
            and CLIENT in [c.name for c in board.clients]
            and SOURCE in [s.name for s in board.sources]
            and SCHEDULE in [s.name for s in board.schedules]
        )

    await until(pilot, listed)
    return screen
