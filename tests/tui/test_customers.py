"""The customers screen, driven by the pilot over the real database and both sandboxes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.db.models import CustomerLink, Profile, Run
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from tests.tui.conftest import CUSTOMERS, Demo
from tests.tui.test_flows import app_for, until
from tui.app import PlentysyncApp
from tui.screens.ask import AskText, Choose
from tui.screens.confirm import Confirm
from tui.screens.customer_conflicts import ConflictsScreen
from tui.screens.customers import CustomersScreen
from tui.services import Services

pytestmark = pytest.mark.anyio


def export_demo(demo: Demo, ids: list[int] | None = None) -> Run:
    """An inline export of the demo shop (or of ``ids``), as the CLI's --inline works it."""
    options = RunOptions(entity_ids=ids, guests=ids is None)
    run = start_export(Profile.get_by_id(demo.profile_id), options)
    InlineExecutor().submit(run)
    return Run.get_by_id(run.id)


def seed_contact(demo: Demo, email: str, last_name: str) -> int:
    """A contact made in PlentyONE by someone else (the sandbox's own seeding handle)."""
    body = [
        {
            "typeId": 1,
            "referrerId": 1,
            "lastName": last_name,
            "options": [{"typeId": 2, "subTypeId": 4, "value": email}],
        }
    ]
    answer = httpx.post(f"{demo.plenty_url}/_sandbox/contacts", json=body, timeout=10)
    answer.raise_for_status()
    return int(answer.json()["ids"][0])


def magento_customer(demo: Demo, customer_id: int) -> dict[str, Any]:
    answer = httpx.get(
        f"{demo.shop_url}/rest/V1/customers/{customer_id}",
        headers={"Authorization": "Bearer " + demo_token()},
        timeout=10,
    )
    answer.raise_for_status()
    data: dict[str, Any] = answer.json()
    return data


def demo_token() -> str:
    from sandbox.magento import DEFAULT_INTEGRATION_TOKEN

    return DEFAULT_INTEGRATION_TOKEN


def quiet_app() -> PlentysyncApp:
    """The app without its embedded worker: this screen starts no run."""
    services = Services()
    services.open()
    services.start_embedded = lambda: False  # type: ignore[method-assign]
    return app_for(services)


def linked_to(key: str) -> int | None:
    """The contact our link row names for customer ``key``, None without a row."""
    link = CustomerLink.get_or_none(CustomerLink.entity_key == key)
    return None if link is None else link.contact_id


def text_of(app: PlentysyncApp, widget: str) -> str:
    return str(app.screen.query_one(widget).render())


async def open_customers(app: PlentysyncApp, pilot: Any) -> CustomersScreen:
    await pilot.press("6")
    await until(pilot, lambda: isinstance(app.screen, CustomersScreen))
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    await until(pilot, lambda: screen.profile_id is not None)
    return screen


async def look_up(pilot: Any, screen: CustomersScreen, query: str) -> None:
    screen.action_focus_lookup()
    field = screen.query_one("#customer-input")
    field.value = ""  # type: ignore[attr-defined]
    await pilot.press(*query, "enter")
    await until(pilot, lambda: screen.diff is not None and screen.query_text == query)


@pytest.mark.slow  # a pilot flow of several lookups: about 5 s
async def test_a_customer_by_id_and_by_email_then_its_live_diff(demo: Demo) -> None:
    run = export_demo(demo, [2, 3, 4])
    assert run.status == "done" and run.created == 3
    app = quiet_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_customers(app, pilot)
        await look_up(pilot, screen, "3")
        link = CustomerLink.get(CustomerLink.entity_key == "3")
        shown = text_of(app, "#customer-lookup")
        assert f"link: linked to contact {link.contact_id}" in shown
        assert f"last export: run {run.id} · created" in shown
        assert "found: by our link (stored)" in shown
        assert "✓ as sent: " in shown and "lastName" in shown
        assert "every field we own holds what we would send" in text_of(app, "#customer-diff")

        email = magento_customer(demo, 3)["email"]
        await look_up(pilot, screen, email)
        assert screen.lookup is not None and screen.lookup.customer_id == 3
        assert f"contact {link.contact_id}" in text_of(app, "#customer-lookup")

        answer = httpx.patch(
            f"{demo.shop_url}/_sandbox/customers/3", json={"lastname": "Umbenannt"}, timeout=10
        )
        answer.raise_for_status()
        await pilot.press("r")
        await until(pilot, lambda: screen.diff is not None)
        diff = text_of(app, "#customer-diff")
        assert "next export update" in diff
        (line,) = [row for row in diff.splitlines() if row.strip().startswith("lastName:")]
        assert line.endswith("→ Umbenannt"), line
        assert "↻ changed since sent: " in text_of(app, "#customer-lookup")

        screen.action_focus_lookup()
        screen.query_one("#customer-input").value = ""  # type: ignore[attr-defined]
        await pilot.press(*"999999", "enter")
        await until(pilot, lambda: "✖" in text_of(app, "#customer-lookup"))
        assert "customer 999999" in text_of(app, "#customer-lookup")
        assert screen.lookup is None and screen.diff is None


@pytest.mark.slow  # a pilot flow through conflicts, unlink and link: about 8 s
async def test_a_conflict_is_shown_and_resolved_then_unlinked(demo: Demo) -> None:
    from sandbox.data import Dataset, DatasetConfig

    email = Dataset(DatasetConfig(customers=CUSTOMERS, seed=7, orders=0)).customer(5)["email"]
    twins = (seed_contact(demo, email.strip(), "Twin"), seed_contact(demo, email.strip(), "Twin"))
    run = export_demo(demo, [4, 5])
    assert run.conflicts == 1
    assert CustomerLink.get_or_none(CustomerLink.entity_key == "5") is None
    app = quiet_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_customers(app, pilot)
        await look_up(pilot, screen, "5")
        assert "link: none" in text_of(app, "#customer-lookup")
        assert "last export: run" in text_of(app, "#customer-lookup")
        assert "conflict" in text_of(app, "#customer-diff")

        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        conflicts = app.screen
        assert isinstance(conflicts, ConflictsScreen)
        await until(pilot, lambda: conflicts.conflicts is not None)
        assert [c.customer_id for c in conflicts.conflicts or ()] == ["5"]
        await pilot.press("enter")  # back, looking that customer up
        await until(pilot, lambda: app.screen is screen and screen.query_text == "5")
        await until(pilot, lambda: screen.diff is not None)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        conflicts = app.screen
        assert isinstance(conflicts, ConflictsScreen)
        await until(pilot, lambda: conflicts.conflicts is not None)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("down", "enter")  # the second candidate
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        question = str(app.screen.query_one("#question").render())
        assert f"Link customer 5 to contact {twins[1]}?" in question
        await pilot.press("y")
        await until(pilot, lambda: conflicts.conflicts == ())
        assert CustomerLink.get(CustomerLink.entity_key == "5").contact_id == twins[1]

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await look_up(pilot, screen, "5")
        assert f"linked to contact {twins[1]}" in text_of(app, "#customer-lookup")
        await pilot.press("U")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Unlink customer 5" in str(app.screen.query_one("#question").render())
        await pilot.press("enter")  # a typed confirmation takes the word, nothing else
        await until(pilot, lambda: app.screen is screen)
        assert CustomerLink.get(CustomerLink.entity_key == "5").contact_id == twins[1]
        await pilot.press("U")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("5", "enter")
        await until(pilot, lambda: linked_to("5") is None)
        await until(pilot, lambda: screen.lookup is not None and screen.lookup.link is None)

        # Link again, by hand, to the first twin: asked for the id, then confirmed.
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, AskText))
        await pilot.press(*str(twins[0]), "enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(
            pilot,
            lambda: (
                getattr(
                    CustomerLink.get_or_none(CustomerLink.entity_key == "5"), "contact_id", None
                )
                == twins[0]
            ),
        )
