"""Shared by the profile editor's pilot tests: connections from an empty database, key helpers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from core.services import connections, schedules
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread
from tests.tui.test_flows import until
from tui.screens.profile_editor import ProfileEditor
from tui.widgets.form_fields import widget_id


@dataclass(frozen=True)
class Connections:
    client: str
    source: str
    schedule_id: int
    plenty_url: str
    shop_url: str


def set_up_connections(plenty_url: str, shop_url: str) -> Connections:
    """A client, a source and a schedule, through the core services (later: the Connections
    screen); nothing collected yet, no profile."""
    connections.create_client(
        name="erp",
        base_url=plenty_url,
        username="api-user",
        password="api-password",
        settings={"plan": None, "read_per_minute": 6000, "write_per_minute": 3000},
    )
    connections.create_source(
        name="shop",
        namespace="shop",
        base_url=shop_url,
        auth_mode="bearer",
        secrets={"token": DEFAULT_INTEGRATION_TOKEN},
    )
    hourly = schedules.create_schedule(name="hourly", cron="0 * * * *")
    return Connections("erp", "shop", hourly.id, plenty_url, shop_url)


@pytest.fixture
def empty_sandboxes(secret_key: None) -> Iterator[tuple[str, str]]:
    """Both sandboxes over loopback HTTP and an empty database."""
    limits = RateLimits(short_read=6000, short_write=3000, long_read=10**8, long_write=10**8)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=6, seed=7, orders=0))) as shop,
    ):
        yield plenty.base_url, shop.base_url


@pytest.fixture
def wired(empty_sandboxes: tuple[str, str]) -> Connections:
    return set_up_connections(*empty_sandboxes)


def editor_of(app: Any) -> ProfileEditor:
    screen = app.screen
    assert isinstance(screen, ProfileEditor), type(screen).__name__
    return screen


async def show_tab(pilot: Any, editor: ProfileEditor, section: str) -> None:
    editor.query_one("#editor-tabs").active = f"tab-{section}"  # type: ignore[attr-defined]
    await pilot.pause()


async def choose(pilot: Any, path: str, value: Any) -> None:
    """Pick ``value`` in the Select of ``path`` with the keys a person presses."""
    await pick_with_keys(pilot, editor_of(pilot.app).query_one(f"#{widget_id(path)}"), value, path)


async def pick_with_keys(pilot: Any, select: Any, value: Any, name: str) -> None:
    """Focus ``select``, ``enter``, the arrows to ``value``, ``enter``; as a person would."""
    values = [v for _label, v in select._options]
    assert value in values, f"{name}: {value!r} is not offered ({values})"
    at = values.index(select.value) if select.value in values else 0
    steps = values.index(value) - at
    select.focus()
    await until(pilot, lambda: select.has_focus)
    await pilot.press("enter")
    await until(pilot, lambda: select.expanded)
    await pilot.press(*["down" if steps > 0 else "up"] * abs(steps), "enter")
    await until(pilot, lambda: not select.expanded)
    assert select.value == value, f"{name}: {select.value!r} chosen, not {value!r}"


async def type_into(pilot: Any, path: str, text: str) -> None:
    """Replace the text of the Input of ``path`` as a person would."""
    editor = editor_of(pilot.app)
    field: Any = editor.query_one(f"#{widget_id(path)}")
    field.focus()
    await until(pilot, lambda: field.has_focus)
    await pilot.press("end", "ctrl+u", *text)
    assert field.value == text


async def add_row(pilot: Any, path: str) -> int:
    """A new row in the row editor of ``path``; its index."""
    editor = editor_of(pilot.app)
    rows: Any = editor.query_one(f"#{widget_id(path)}")
    before = len(rows.rows)
    rows.focus()
    await until(pilot, lambda: rows.has_focus)
    await pilot.press("alt+n")
    await until(pilot, lambda: len(rows.rows) == before + 1)
    return before


async def fill_customer_rows(pilot: Any) -> None:
    """The Customer tab as the README's walkthrough fills it: default group 1, Magento group
    2 → class 2, ``Mr.`` male and ``Mrs.`` female."""
    await choose(pilot, "customer.default_group", 1)
    row = await add_row(pilot, "customer.group_mapping")
    await choose(pilot, f"customer.group_mapping[{row}].magento_group_id", 2)
    await choose(pilot, f"customer.group_mapping[{row}].plenty_class_id", 2)
    for prefix, gender in (("Mr.", "male"), ("Mrs.", "female")):
        row = await add_row(pilot, "customer.gender_mapping")
        await type_into(pilot, f"customer.gender_mapping[{row}].prefix", prefix)
        await choose(pilot, f"customer.gender_mapping[{row}].gender", gender)
