"""The tables hold what the export relies on, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from core.db.connection import database, write_transaction
from core.db.models import (
    AccountLink,
    AddressLink,
    Client,
    ConfigData,
    CustomerLink,
    GuestKey,
    MagentoSource,
    Profile,
    QueueItem,
    Run,
    RunBatch,
    RunItem,
    Schedule,
    ScheduleFiring,
)


def _client_and_profile() -> tuple[Client, MagentoSource, Profile]:
    client = Client.create(name="erp", base_url="http://x", username="u")
    source = MagentoSource.create(
        name="shop", namespace="shop-eu", base_url="http://y", auth_mode="bearer"
    )
    profile = Profile.create(name="p", client=client, source=source, settings={"a": [1, "ü"]})
    return client, source, profile


def test_settings_document_round_trips(db: str) -> None:
    _, _, profile = _client_and_profile()
    assert Profile.get_by_id(profile.id).settings == {"a": [1, "ü"]}


@pytest.mark.parametrize(
    ("make", "label"),
    [
        (
            lambda c, s, p: CustomerLink.create(
                client=c, namespace="shop-eu", entity_type="customer", entity_key="42"
            ),
            "link",
        ),
        (
            lambda c, s, p: AccountLink.create(
                client=c, namespace="shop-eu", account_key="vat:DE123"
            ),
            "account",
        ),
        (
            lambda c, s, p: QueueItem.create(profile=p, entity_type="customer", entity_key="42"),
            "queue",
        ),
        (
            lambda c, s, p: GuestKey.create(
                source=s, website_id=1, email="a@b.c", latest_order_id=1
            ),
            "guest",
        ),
        (
            lambda c, s, p: ConfigData.create(
                owner_kind="client", owner_id=c.id, kind="classes", data=[]
            ),
            "config",
        ),
    ],
)
def test_identities_are_unique(db: str, make, label: str) -> None:  # type: ignore[no-untyped-def]
    client, source, profile = _client_and_profile()
    make(client, source, profile)
    with pytest.raises(peewee.IntegrityError), write_transaction():
        make(client, source, profile)


def test_a_firing_happens_once(db: str) -> None:
    _, _, profile = _client_and_profile()
    schedule = Schedule.create(name="q", cron="*/5 * * * *")
    due = dt.datetime(2026, 11, 27, 12, 0)
    ScheduleFiring.create(schedule=schedule, profile=profile, scheduled_for=due)
    with pytest.raises(peewee.IntegrityError), write_transaction():
        ScheduleFiring.create(schedule=schedule, profile=profile, scheduled_for=due)
    ScheduleFiring.create(schedule=schedule, profile=profile, scheduled_for=due, kind="reconcile")


def test_address_links_and_run_rows_follow_their_parents(db: str) -> None:
    client, _, profile = _client_and_profile()
    link = CustomerLink.create(
        client=client,
        namespace="shop-eu",
        entity_type="customer",
        entity_key="7",
        contact_id=70,
        state="linked",
    )
    AddressLink.create(customer_link=link, address_key="11", type_id=1, address_id=5)
    AddressLink.create(customer_link=link, address_key="11", type_id=2, address_id=5)
    run = Run.create(profile=profile, trigger="manual")
    RunBatch.create(run=run, sequence=0, entity_keys=["7"])
    RunItem.create(run=run, entity_type="customer", entity_key="7", action="created")
    with pytest.raises(peewee.IntegrityError), write_transaction():
        RunBatch.create(run=run, sequence=0, entity_keys=["8"])
    link.delete_instance()
    assert AddressLink.select().count() == 0
    run.delete_instance()
    assert RunBatch.select().count() == 0 and RunItem.select().count() == 0


def test_foreign_keys_are_enforced(db: str) -> None:
    with pytest.raises(peewee.IntegrityError), write_transaction():
        QueueItem.create(profile=999, entity_type="customer", entity_key="1")


def test_sqlite_runs_wal_with_immediate_transactions(sqlite_db: str) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert database.obj._lock_type == "IMMEDIATE"
