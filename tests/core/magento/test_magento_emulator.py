"""The Magento source against the emulator over real HTTP on loopback."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from starlette.applications import Starlette

from core.emails import normalise_email
from core.errors import AuthError
from core.magento import (
    AdminLogin,
    Credentials,
    Customer,
    IntegrationBearer,
    MagentoConfig,
    MagentoSource,
    OAuth1,
    SourceGate,
    UnreadableRecord,
    UpdatedCursor,
)
from core.magento._search import Search
from core.secrets import Secret
from sandbox.magento import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_ACCESS_TOKEN_SECRET,
    DEFAULT_ADMIN_PASSWORD,
    DEFAULT_ADMIN_USERNAME,
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    DEFAULT_INTEGRATION_TOKEN,
    FaultConfig,
    MagentoSandboxConfig,
    create_app,
)
from sandbox.magento.state import SandboxState
from sandbox.server import RunningServer, serve_in_thread

CUSTOMERS = 10_000
ORDERS = 1_500
BEARER = IntegrationBearer(Secret(DEFAULT_INTEGRATION_TOKEN))
OAUTH = OAuth1(
    DEFAULT_CONSUMER_KEY,
    Secret(DEFAULT_CONSUMER_SECRET),
    Secret(DEFAULT_ACCESS_TOKEN),
    Secret(DEFAULT_ACCESS_TOKEN_SECRET),
)
ADMIN = AdminLogin(DEFAULT_ADMIN_USERNAME, Secret(DEFAULT_ADMIN_PASSWORD))


@pytest.fixture(scope="module")
def shop() -> Iterator[tuple[Starlette, RunningServer]]:
    app = create_app(MagentoSandboxConfig(customers=CUSTOMERS, orders=ORDERS, seed=7))
    with serve_in_thread(app) as server:
        yield app, server


@pytest.fixture
def state(shop: tuple[Starlette, RunningServer]) -> Iterator[SandboxState]:
    sandbox: SandboxState = shop[0].state.sandbox
    yield sandbox
    sandbox.reset()


def _source(
    server: RunningServer, credentials: Credentials = BEARER, **overrides: Any
) -> MagentoSource:
    config = MagentoConfig(server.base_url, credentials, min_interval=0.0, **overrides)
    return MagentoSource(config, gate=SourceGate(2, 0.0), sleep=lambda _: None)


@pytest.mark.parametrize("credentials", [BEARER, OAUTH, ADMIN], ids=lambda c: c.mode.value)
def test_each_auth_mode_reads_the_shop(
    shop: tuple[Starlette, RunningServer], state: SandboxState, credentials: Credentials
):
    with _source(shop[1], credentials, page_size=50) as source:
        first_page = next(source.customers.iter_ids())
        views = source.stores.store_views()

    assert first_page == list(range(1, 51))
    assert {view.code for view in views} >= {"default", "de"}


def test_wrong_oauth_secret_is_refused(shop: tuple[Starlette, RunningServer], state: SandboxState):
    wrong = replace(OAUTH, access_token_secret=Secret("not-the-secret"))

    with _source(shop[1], wrong) as source, pytest.raises(AuthError):
        source.stores.websites()


def test_stock_244_shop_refuses_integration_bearer_tokens(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    state.config = state.config.updated({"integration_as_bearer": False})

    with _source(shop[1], BEARER) as source, pytest.raises(AuthError, match="permissions"):
        source.stores.websites()
    with _source(shop[1], OAUTH) as source:
        assert source.stores.websites()


def test_admin_two_factor_is_a_clear_auth_error(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    state.config = state.config.updated({"admin_2fa": True})

    with _source(shop[1], ADMIN) as source, pytest.raises(AuthError) as caught:
        source.stores.websites()

    assert caught.value.detail.get("two_factor") is True


@pytest.mark.parametrize(
    ("past_end", "page_size"), [("empty", 250), ("repeat_last", 250), ("repeat_last", 300)]
)
def test_keyset_enumeration_hands_out_every_id_exactly_once(
    shop: tuple[Starlette, RunningServer], state: SandboxState, past_end: str, page_size: int
):
    state.config = state.config.updated({"past_end": past_end})
    for gone in (1, 777, 5000, CUSTOMERS):
        state.dataset.delete(gone)
    expected = list(state.dataset.ids())

    with _source(shop[1], page_size=page_size) as source:
        pages = list(source.customers.iter_ids())
        calls = source.calls

    ids = [customer_id for page in pages for customer_id in page]
    assert ids == expected
    assert all(len(page) <= page_size for page in pages)
    # Constant cost per page: one call per page, plus at most one to see the end.
    assert calls <= math.ceil(len(expected) / page_size) + 1


def test_groups_page_to_the_end_in_both_past_end_modes(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    for past_end in ("empty", "repeat_last"):
        state.config = state.config.updated({"past_end": past_end})
        with _source(shop[1], page_size=4) as source:
            groups = source.stores.groups()
        assert [g.id for g in groups] == [0, 1, 2, 3, 4, 5]


def test_batch_fetch_returns_the_records_of_the_asked_ids(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    wanted = list(range(3, CUSTOMERS, 37))[:250]
    state.dataset.delete(wanted[10])

    with _source(shop[1], page_size=100) as source:
        customers = source.customers.fetch(reversed(wanted))
        calls = source.calls

    assert [c.id for c in customers] == [i for i in wanted if i != wanted[10]]
    assert calls == 3  # 250 ids in pages of 100
    for customer in customers[:25]:
        assert customer == Customer.model_validate(state.dataset.customer(customer.id))


def test_reference_data(shop: tuple[Starlette, RunningServer], state: SandboxState):
    with _source(shop[1]) as source:
        websites = source.stores.websites()
        store_groups = source.stores.store_groups()
        labels = source.stores.gender_labels()

    assert 0 not in {w.id for w in websites}
    assert {g.website_id for g in store_groups} == {w.id for w in websites}
    assert labels[1] == "Male" and labels[2] == "Female"


def test_partial_fields_keep_only_what_was_asked(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    with _source(shop[1]) as source:
        items, total = source.http.search(
            "customers/search", Search(page_size=5, fields="items[id,updated_at],total_count")
        )
        changes = next(source.customers.changes(UpdatedCursor())).items

    assert total == CUSTOMERS
    assert [set(item) for item in items] == [{"id", "updated_at"}] * 5
    assert all(change.updated_at is not None for change in changes)


def test_guest_stream_hands_out_every_guest_order_once(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    dataset = state.dataset
    guest_orders = {
        n: dataset.order(n)
        for n in range(1, ORDERS + 1)
        if dataset.order_summary(n)["customer_is_guest"] == 1
    }

    with _source(shop[1], page_size=100) as source:
        website_of = {view.id: view.website_id for view in source.stores.store_views()}
        pages = list(source.guests.changes(UpdatedCursor()))
        again = list(source.guests.changes(pages[-1].cursor))

    buyers = [buyer for page in pages for buyer in page.items]
    assert sorted(b.order_id for b in buyers) == sorted(guest_orders)
    for buyer in buyers:
        order = guest_orders[buyer.order_id]
        assert order is not None
        assert buyer.email == normalise_email(order["customer_email"])
        assert buyer.website_id == website_of[order["store_id"]]
        assert buyer.billing_address is not None
    assert again == []


def test_guest_buyers_of_chosen_orders(shop: tuple[Starlette, RunningServer], state: SandboxState):
    dataset = state.dataset
    guests = [n for n in range(1, 400) if dataset.order_summary(n)["customer_is_guest"] == 1]
    registered = next(
        n for n in range(1, 400) if dataset.order_summary(n)["customer_is_guest"] == 0
    )

    with _source(shop[1], page_size=50) as source:
        buyers = source.guests.fetch([*reversed(guests[:120]), registered, ORDERS + 5])

    assert [b.order_id for b in buyers] == guests[:120]
    for buyer in buyers[:20]:
        order = dataset.order(buyer.order_id)
        assert order is not None
        assert buyer.email == normalise_email(order["customer_email"])


def test_throttled_shop_still_yields_everything(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    state.config = replace(
        state.config,
        faults=FaultConfig(throttle_rate=0.3, throttle_status=503, retry_after_seconds=2, seed=3),
    )
    waits: list[float] = []
    config = MagentoConfig(shop[1].base_url, BEARER, min_interval=0.0, page_size=300)

    with MagentoSource(config, gate=SourceGate(2, 0.0), sleep=waits.append) as source:
        ids = [i for page in source.customers.iter_ids() for i in page]

    assert ids == list(range(1, CUSTOMERS + 1))
    assert waits and set(waits) == {2.0}


# -- incremental reads while the shop changes ---------------------------------------------

FROZEN = datetime(2030, 1, 1, 12, 0, 0)


@pytest.fixture
def busy_shop() -> Iterator[tuple[SandboxState, RunningServer]]:
    """A small shop whose clock stands still, so every change lands in one second."""
    app = create_app(MagentoSandboxConfig(customers=600, orders=0, seed=11), clock=lambda: FROZEN)
    with serve_in_thread(app) as server:
        yield app.state.sandbox, server


def _changed_ids(source: MagentoSource, cursor: UpdatedCursor) -> tuple[list[int], UpdatedCursor]:
    ids: list[int] = []
    for page in source.customers.changes(cursor):
        ids += [change.id for change in page.items]
        cursor = page.cursor
    return ids, cursor


def test_incremental_reads_miss_nothing_saved_in_the_same_second(
    busy_shop: tuple[SandboxState, RunningServer],
):
    state, server = busy_shop
    with _source(server, page_size=20) as source:
        # First run: everything, although imports stamped blocks of 64 with one second.
        everything, cursor = _changed_ids(source, UpdatedCursor())
        assert sorted(everything) == list(range(1, 601))
        assert len(everything) == len(set(everything))

        first = {m.customer_id for m in state.dataset.mutate(count=150)}
        changed, cursor = _changed_ids(source, cursor)
        assert sorted(changed) == sorted(first)

        # More saves in the very second the cursor stopped at.
        second = [i for i in range(2, 601, 5) if i not in first][:40]
        assert {m.updated_at for m in state.dataset.mutate(ids=second)} == {str(FROZEN)}
        assert cursor.since is not None and cursor.since.replace(tzinfo=None) == FROZEN
        changed, cursor = _changed_ids(source, cursor)
        assert sorted(changed) == sorted(second)

        # Saves while a run is half-way: below and above its position in the second.
        third = [i for i in range(1, 601, 7) if i not in first | set(second)][:60]
        state.dataset.mutate(ids=third[0::2])
        run = source.customers.changes(cursor)
        seen = [c.id for c in next(run).items]
        late = third[1::2]
        state.dataset.mutate(ids=late)
        for page in run:
            seen += [c.id for c in page.items]
            cursor = page.cursor
        rest, cursor = _changed_ids(source, cursor)

    assert len(seen) == len(set(seen))
    assert sorted(set(seen) | set(rest)) == sorted(third)
    assert not set(seen) & set(rest)
    # The scenario really happened: some late saves fell behind the running read.
    assert rest and set(rest) <= set(late)


def test_a_record_that_does_not_parse_comes_back_alone_with_its_field(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    state.dataset.overwrite(5, {"addresses": None})
    state.dataset.overwrite(6, {"firstname": 42})
    state.dataset.overwrite(8, {"addresses": [{"id": 1, "street": [7]}]})

    with _source(shop[1], page_size=100) as source:
        records = source.customers.read(range(1, 11))
        readable = source.customers.fetch(range(1, 11))

    problems = {r.record_id: r for r in records if isinstance(r, UnreadableRecord)}
    assert [r.id for r in records if isinstance(r, Customer)] == [1, 2, 3, 4, 7, 9, 10]
    assert [c.id for c in readable] == [1, 2, 3, 4, 7, 9, 10]
    assert (problems[5].field, problems[5].value) == ("addresses", None)
    assert (problems[6].field, problems[6].value) == ("firstname", 42)
    assert (problems[8].field, problems[8].value) == ("addresses[0].street[0]", 7)
    assert "field firstname cannot be read" in str(problems[6].error())


def test_a_guest_order_that_does_not_parse_comes_back_alone(
    shop: tuple[Starlette, RunningServer], state: SandboxState
):
    with _source(shop[1], page_size=100) as source:
        buyers = source.guests.fetch(range(1, 60))
        broken = buyers[1].order_id
        state.dataset.overwrite_order(broken, {"customer_lastname": ["Doe"]})
        records = source.guests.read(range(1, 60))

    problem = next(r for r in records if isinstance(r, UnreadableRecord))
    assert (problem.record_id, problem.kind, problem.field) == (broken, "order", "lastname")
    assert [r.order_id for r in records if not isinstance(r, UnreadableRecord)] == [
        b.order_id for b in buyers if b.order_id != broken
    ]
