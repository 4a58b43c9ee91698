"""Commands that could do harm refuse plainly when they cannot do what the operator expects."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.config_data import load_config
from core.db.models import Run
from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    in_process,
    plentysync,
    set_up_profile,
    small_sandboxes,
)
from tests.core.operations.helpers import add_run
from tests.worker.offline import offline_profile

CUSTOMERS = 30


@pytest.fixture
def shop(plentysync_home: Path) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Both sandboxes and a runnable profile ``eu`` set up from the command line."""
    with small_sandboxes(customers=CUSTOMERS, seed=4, orders=12) as (plenty, magento):
        set_up_profile(plentysync_home, plenty, magento, client=FAST_CLIENT)
        yield plenty, magento


def _contacts(plenty: RunningServer) -> list[dict[str, object]]:
    return httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()  # type: ignore[no-any-return]


def test_export_with_a_limit_sends_only_that_many_customers(
    plentysync_home: Path, shop: tuple[RunningServer, RunningServer]
) -> None:
    plenty, _ = shop
    args = ("customer", "export", "--profile-id", "eu", "--limit", "5", "--json")
    preview = json.loads(in_process(plentysync_home, *args, "--dry-run").stdout)
    first_five = [item["key"] for item in preview["customers"]]
    assert len(first_five) == 5

    done = in_process(plentysync_home, *args)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["total"] == 5
    assert sum(summary[n] for n in ("created", "updated", "unchanged", "skipped", "failed")) == 5
    shown = json.loads(in_process(plentysync_home, "history", "show", str(summary["run"]),
                                  "--json").stdout)  # fmt: skip
    assert sorted(i["entity"] for i in shown["items"]) == sorted(
        f"customer:{k}" for k in first_five
    )
    assert len(_contacts(plenty)) == summary["created"]


def test_writes_started_by_hand_wait_for_the_blackout_window_to_end(
    sqlite_db: str, plentysync_home: Path, shop: tuple[RunningServer, RunningServer]
) -> None:
    plenty, _ = shop
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)
    window = f"{start:%H:%M}-{end:%H:%M}@UTC"
    edited = in_process(plentysync_home, "client", "edit", "erp", "--blackout", window)
    assert edited.returncode == 0, edited.stderr

    export = ("customer", "export", "--profile-id", "eu", "--limit", "3")
    for extra in ((), ("--force",)):  # --force re-sends fields; it is no way past the window
        refused = in_process(plentysync_home, *export, *extra)
        assert refused.returncode == 2
        assert refused.stderr.strip().splitlines() == [
            f"error: client 'erp' is in its blackout window {window} until "
            f"{end:%Y-%m-%d %H:%M} UTC; give --ignore-blackout to send anyway"
        ]
    assert _contacts(plenty) == [] and not Run.select().exists()
    assert in_process(plentysync_home, *export, "--dry-run").returncode == 0  # reads only

    done = in_process(plentysync_home, *export, "--ignore-blackout", "--json")
    assert done.returncode == 0, done.stderr
    run_id = json.loads(done.stdout)["run"]
    created = len(_contacts(plenty))
    assert created > 0

    replace = ("customer", "replace", "--profile-id", "eu", "--confirm", str(created))
    refused = in_process(plentysync_home, *replace)
    assert refused.returncode == 2 and "blackout window" in refused.stderr
    assert len(_contacts(plenty)) == created

    Run.update(status="cancelled").where(Run.id == run_id).execute()
    resumed = in_process(plentysync_home, "run", "resume", str(run_id))
    assert resumed.returncode == 2 and "--ignore-blackout" in resumed.stderr
    assert Run.get_by_id(run_id).status == "cancelled"
    forced = in_process(plentysync_home, "run", "resume", str(run_id), "--ignore-blackout")
    assert forced.returncode == 0, forced.stderr


def _seed_contact(plenty: RunningServer, external_id: str = "") -> int:
    body = [{"typeId": 1, "referrerId": 1, "lastName": "Chosen", "externalId": external_id}]
    answer = httpx.post(f"{plenty.base_url}/_sandbox/contacts", json=body)
    answer.raise_for_status()
    return int(answer.json()["ids"][0])


def _external_id(plenty: RunningServer, contact_id: int) -> object:
    return next(c for c in _contacts(plenty) if c["id"] == contact_id).get("externalId")


def test_link_checks_the_customer_and_the_contact_before_writing(
    plentysync_home: Path, shop: tuple[RunningServer, RunningServer]
) -> None:
    plenty, _ = shop
    run = json.loads(
        in_process(plentysync_home, "customer", "export", "--profile-id", "eu", "--limit", "6",
                   "--json").stdout
    )["run"]  # fmt: skip
    items = json.loads(in_process(plentysync_home, "history", "show", str(run), "--json").stdout)
    linked = [(i["entity"].split(":")[1], i["contact_id"]) for i in items["items"]
              if i["action"] == "created"]  # fmt: skip
    (owner, taken), (customer, _) = linked[0], linked[1]
    free = _seed_contact(plenty)
    marked = _seed_contact(plenty, external_id="shop-eu:c:777")

    def link(customer_id: object, contact_id: int) -> subprocess.CompletedProcess[str]:
        ids = ("--customer-id", str(customer_id), "--contact-id", str(contact_id))
        return in_process(plentysync_home, "customer", "link", "--profile-id", "eu", *ids)

    refusals = [
        (link(9999, free), "Magento source 'shop' has no customer 9999; nothing was linked"),
        (link(customer, taken), f"contact {taken} is linked to customer {owner} already"),
        (link(customer, marked), "carries the identity shop-eu:c:777 of another entity of ours"),
    ]
    for refused, reason in refusals:
        assert refused.returncode == 2
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and reason in lines[0], lines
    assert _external_id(plenty, free) in ("", None)
    assert _external_id(plenty, taken) == f"shop-eu:c:{owner}"
    assert _external_id(plenty, marked) == "shop-eu:c:777"

    preview = in_process(plentysync_home, "customer", "export", "--profile-id", "eu",
                         "--dry-run", "--limit", "7", "--json")  # fmt: skip
    seventh = json.loads(preview.stdout)["customers"][6]["key"]  # not exported yet
    done = link(seventh, free)
    assert done.returncode == 0, done.stderr
    assert _external_id(plenty, free) == f"shop-eu:c:{seventh}"


def test_worker_without_redis_refuses_in_one_line(plentysync_home: Path) -> None:
    # Without the refusal the workers wait forever on an in-memory broker nobody else reaches.
    refused = plentysync(plentysync_home, "worker", "--processes", "1", stdin="", timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: the worker process needs PLENTYSYNC_REDIS_URL; on a single host run "
        "'plentysync serve', which works the exports itself"
    ]


def test_delete_config_asks_and_a_script_must_say_yes(
    sqlite_db: str, plentysync_home: Path
) -> None:
    profile = offline_profile()
    args = ("customer", "delete-config", "--client-id", profile.client.name)
    refused = in_process(plentysync_home, *args, stdin="y\n")  # a pipe is no one's answer
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "give --yes" in refused.stderr and repr(profile.client.name) in refused.stderr
    assert load_config("client", profile.client_id)

    removed = in_process(plentysync_home, *args, "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "kinds removed" in removed.stdout
    assert load_config("client", profile.client_id) == {}


def test_clearing_all_history_asks_and_a_script_must_say_yes(
    sqlite_db: str, plentysync_home: Path
) -> None:
    profile = offline_profile()
    old = add_run(profile, "done", age=dt.timedelta(days=40))
    recent = add_run(profile, "done")

    refused = in_process(plentysync_home, "history", "clear", "--older-than", "0", stdin="")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "give --yes" in refused.stderr
    assert {r.id for r in Run.select()} == {old.id, recent.id}

    # A cut-off in days removes what is old only and needs no confirmation.
    aged = in_process(plentysync_home, "history", "clear", "--older-than", "30", stdin="")
    assert aged.returncode == 0 and "removed 1 runs" in aged.stdout
    everything = in_process(plentysync_home, "history", "clear", "--older-than", "0", "--yes")
    assert everything.returncode == 0 and "removed 1 runs" in everything.stdout
    assert not Run.select().exists()
