"""The operator tools from the command line, as a sysadmin types them, against both sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    invoke,
    invoke_json,
    invoke_ok,
    set_up_profile_in_process,
    small_sandboxes,
)

CUSTOMERS = 40


@pytest.fixture
def plenty() -> Iterator[RunningServer]:
    with small_sandboxes(customers=CUSTOMERS, seed=3, orders=10) as (plenty, magento):
        set_up_profile_in_process(
            plenty, magento, "customer.default_group=1", client=(*FAST_CLIENT, "--share", "1.0")
        )
        yield plenty


def _writes(plenty: RunningServer) -> int:
    routes = httpx.get(f"{plenty.base_url}/_sandbox/stats").json()["calls"]["by_route"]
    return sum(
        n
        for route, n in routes.items()
        if route.split(" ")[0] in ("POST", "PUT", "DELETE") and "/rest/login" not in route
    )


def test_preview_validate_and_connection(plenty: RunningServer) -> None:
    report = invoke_json("customer", "validate", "--profile-id", "eu")
    assert report["runnable"] and report["scanned_customers"] == CUSTOMERS
    groups = [f for f in report["findings"] if f["kind"] == "group"]
    assert groups and sum(f["customers"] for f in groups) == CUSTOMERS  # no group is mapped
    eta = invoke_json("customer", "export", "--profile-id", "eu", "--estimate")
    assert eta["full_seconds"] == report["estimate"]["full_seconds"] > 0
    assert eta["cap_days"] >= 0 and eta["cap_source"] in ("headers", "plan")
    text = invoke_ok("customer", "export", "--profile-id", "eu", "--estimate").stdout
    assert "A full export takes about" in text
    assert "days at the daily write cap" in text

    preview = invoke_json("customer", "export", "--profile-id", "eu", "--dry-run",
                      "--entity-ids", "1-10")  # fmt: skip
    assert _writes(plenty) == 0
    assert preview["counts"]["create"] + preview["counts"]["failed"] == 10
    text = invoke_ok("customer", "export", "--profile-id", "eu", "--dry-run", "--entity-ids", "1-3")
    assert "nothing was sent" in text.stdout and "writes planned" in text.stdout

    before = _writes(plenty)
    run = invoke_json("customer", "export", "--profile-id", "eu", "--entity-ids", "1-10")
    assert run["created"] == preview["counts"]["create"]
    assert _writes(plenty) - before == preview["writes"] > 0  # the plan the dry run printed
    checks = invoke_ok("customer", "test-connection", "--profile-id", "eu").stdout
    assert "failed" not in checks and "all known" in checks
    assert "0 conflicts" in invoke_ok("customer", "conflicts", "list", "--profile-id", "eu").stdout


def test_replace_needs_the_exact_count_then_forget(plenty: RunningServer) -> None:
    run = invoke_json("customer", "export", "--profile-id", "eu", "--entity-ids", "1-10")
    shown = invoke_ok("customer", "replace", "--profile-id", "eu").stdout
    count = run["created"]
    assert (
        f"{count} contacts of this profile's stores, owned by plentysync, would be deleted" in shown
    )
    assert f"--confirm {count}" in shown
    before = _writes(plenty)
    wrong = invoke("customer", "replace", "--profile-id", "eu", "--confirm", str(count + 1))
    assert wrong.exit_code == 2 and len(wrong.stderr.splitlines()) == 1
    assert "does not match" in wrong.stderr
    assert _writes(plenty) == before
    done = invoke_json("customer", "replace", "--profile-id", "eu", "--confirm", str(count))
    assert done["deleted"] == count and done["run_status"] == "done"
    assert Path(done["backup"]).stat().st_mode & 0o077 == 0

    mapping = invoke_json("customer", "check-mapping", "--profile-id", "eu", "--customer-id", "2")
    customer = 2 if mapping["link"] else next(
        i for i in range(1, 11)
        if invoke_json("customer", "check-mapping", "--profile-id", "eu",
                   "--customer-id", str(i))["link"]
    )  # fmt: skip
    shown = invoke_ok("customer", "check-mapping", "--profile-id", "eu", "--customer-id",
                      str(customer)).stdout  # fmt: skip
    assert "last written 20" in shown and "last exported" not in shown, shown
    forgotten = invoke_ok(
        "customer", "forget", "--profile-id", "eu", "--customer-id", str(customer)
    )
    assert "removed 1 links" in forgotten.stdout
    after = invoke_json("customer", "check-mapping", "--profile-id", "eu",
                    "--customer-id", str(customer))  # fmt: skip
    assert after["link"] is None and after["last_export"] is None


def test_replace_names_what_another_profile_keeps(plenty: RunningServer) -> None:
    invoke_ok("profile", "edit", "eu", "--set", "store.is_active_store_filter=true",
       "--set", 'store.store_mapping=[{"store_id":1,"plenty_id":12345,"locale":"en"},'
       '{"store_id":2,"plenty_id":12345,"locale":"en"}]')  # fmt: skip
    invoke_ok("profile", "create", "--name", "fr", "--client", "erp", "--source", "shop",
       "--set", "schedule.status=false", "--set", "store.referrer_id=1",
       "--set", "store.is_active_store_filter=true",
       "--set", 'store.store_mapping=[{"store_id":5,"plenty_id":12345,"locale":"fr"},'
       '{"store_id":6,"plenty_id":12345,"locale":"fr"}]',
       "--set", "customer.default_group=1")  # fmt: skip
    eu = invoke_json("customer", "export", "--profile-id", "eu")
    fr = invoke_json("customer", "export", "--profile-id", "fr")
    assert eu["created"] and fr["created"]
    contacts = httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()
    theirs = {c["id"] for c in contacts if c["plentyId"] and c["lang"] == "fr"}

    shown = invoke_ok("customer", "replace", "--profile-id", "eu").stdout
    plan = invoke_json("customer", "replace", "--profile-id", "eu")
    assert plan["would_delete"] == eu["created"]
    assert f"--confirm {eu['created']}" in shown
    assert "left out:" in shown and "store 5 is not in the store mapping" in shown
    assert "guests of website 3: another profile exports it" in plan["left_out"]
    done = invoke_json("customer", "replace", "--profile-id", "eu", "--confirm", str(eu["created"]))
    assert done["deleted"] == eu["created"] and done["run_status"] == "done"
    remaining = {c["id"] for c in httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()}
    assert theirs and theirs <= remaining
