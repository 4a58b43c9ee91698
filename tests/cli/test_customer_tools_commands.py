"""The operator tools from the command line, as a sysadmin types them, against both sandboxes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread

CUSTOMERS = 40
runner = CliRunner()


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """The ``plentysync`` command in this process (the test's own data directory)."""
    return runner.invoke(app, list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> Result:
    result = cli(*args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


@pytest.fixture
def plenty() -> Iterator[RunningServer]:
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=CUSTOMERS, seed=3, orders=10))
        ) as magento,
    ):
        ok("client", "add", "--name", "erp", "--url", plenty.base_url,
           "--username", "api-user", "--read-limit", "50000",
           "--write-limit", "50000", "--share", "1.0",
           env={"PLENTYSYNC_CLIENT_PASSWORD": "api-password"})  # fmt: skip
        ok("source", "add", "--name", "shop", "--namespace", "shop-eu",
           "--url", magento.base_url,
           env={"PLENTYSYNC_SOURCE_TOKEN": DEFAULT_INTEGRATION_TOKEN})  # fmt: skip
        ok("customer", "collect-config", "--client-id", "erp", "--source-id", "shop")
        ok("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
           "--set", "schedule.status=false", "--set", "store.referrer_id=1",
           "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]',
           "--set", "customer.default_group=1")  # fmt: skip
        yield plenty


def _writes(plenty: RunningServer) -> int:
    routes = httpx.get(f"{plenty.base_url}/_sandbox/stats").json()["calls"]["by_route"]
    return sum(
        n
        for route, n in routes.items()
        if route.split(" ")[0] in ("POST", "PUT", "DELETE") and "/rest/login" not in route
    )


def test_preview_validate_and_connection(plenty: RunningServer) -> None:
    report = as_json("customer", "validate", "--profile-id", "eu")
    assert report["runnable"] and report["scanned_customers"] == CUSTOMERS
    groups = [f for f in report["findings"] if f["kind"] == "group"]
    assert groups and sum(f["customers"] for f in groups) == CUSTOMERS  # no group is mapped
    eta = as_json("customer", "export", "--profile-id", "eu", "--estimate")
    assert eta["full_seconds"] == report["estimate"]["full_seconds"] > 0
    assert (
        "A full export takes about"
        in ok("customer", "export", "--profile-id", "eu", "--estimate").stdout
    )

    preview = as_json("customer", "export", "--profile-id", "eu", "--dry-run",
                      "--entity-ids", "1-10")  # fmt: skip
    assert _writes(plenty) == 0
    assert preview["counts"]["create"] + preview["counts"]["failed"] == 10
    text = ok("customer", "export", "--profile-id", "eu", "--dry-run", "--entity-ids", "1-3")
    assert "nothing was sent" in text.stdout

    run = as_json("customer", "export", "--profile-id", "eu", "--entity-ids", "1-10")
    assert run["created"] == preview["counts"]["create"]
    checks = ok("customer", "test-connection", "--profile-id", "eu").stdout
    assert "failed" not in checks and "all known" in checks
    assert "0 conflicts" in ok("customer", "conflicts", "list", "--profile-id", "eu").stdout


def test_replace_needs_the_exact_count_then_forget(plenty: RunningServer) -> None:
    run = as_json("customer", "export", "--profile-id", "eu", "--entity-ids", "1-10")
    shown = ok("customer", "replace", "--profile-id", "eu").stdout
    count = run["created"]
    assert (
        f"{count} contacts of this profile's stores, owned by plentysync, would be deleted" in shown
    )
    assert f"--confirm {count}" in shown
    before = _writes(plenty)
    wrong = cli("customer", "replace", "--profile-id", "eu", "--confirm", str(count + 1))
    assert wrong.exit_code == 2 and len(wrong.stderr.splitlines()) == 1
    assert "does not match" in wrong.stderr
    assert _writes(plenty) == before
    done = as_json("customer", "replace", "--profile-id", "eu", "--confirm", str(count))
    assert done["deleted"] == count and done["run_status"] == "done"
    assert Path(done["backup"]).stat().st_mode & 0o077 == 0

    mapping = as_json("customer", "check-mapping", "--profile-id", "eu", "--customer-id", "2")
    customer = 2 if mapping["link"] else next(
        i for i in range(1, 11)
        if as_json("customer", "check-mapping", "--profile-id", "eu",
                   "--customer-id", str(i))["link"]
    )  # fmt: skip
    forgotten = ok("customer", "forget", "--profile-id", "eu", "--customer-id", str(customer))
    assert "removed 1 links" in forgotten.stdout
    after = as_json("customer", "check-mapping", "--profile-id", "eu",
                    "--customer-id", str(customer))  # fmt: skip
    assert after["link"] is None and after["last_export"] is None


def test_replace_names_what_another_profile_keeps(plenty: RunningServer) -> None:
    ok("profile", "edit", "eu", "--set", "store.is_active_store_filter=true",
       "--set", 'store.store_mapping=[{"store_id":1,"plenty_id":12345,"locale":"en"},'
       '{"store_id":2,"plenty_id":12345,"locale":"en"}]')  # fmt: skip
    ok("profile", "create", "--name", "fr", "--client", "erp", "--source", "shop",
       "--set", "schedule.status=false", "--set", "store.referrer_id=1",
       "--set", "store.is_active_store_filter=true",
       "--set", 'store.store_mapping=[{"store_id":5,"plenty_id":12345,"locale":"fr"},'
       '{"store_id":6,"plenty_id":12345,"locale":"fr"}]',
       "--set", "customer.default_group=1")  # fmt: skip
    eu = as_json("customer", "export", "--profile-id", "eu")
    fr = as_json("customer", "export", "--profile-id", "fr")
    assert eu["created"] and fr["created"]
    contacts = httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()
    theirs = {c["id"] for c in contacts if c["plentyId"] and c["lang"] == "fr"}

    shown = ok("customer", "replace", "--profile-id", "eu").stdout
    plan = as_json("customer", "replace", "--profile-id", "eu")
    assert plan["would_delete"] == eu["created"]
    assert f"--confirm {eu['created']}" in shown
    assert "left out:" in shown and "store 5 is not in the store mapping" in shown
    assert "guests of website 3: another profile exports it" in plan["left_out"]
    done = as_json("customer", "replace", "--profile-id", "eu", "--confirm", str(eu["created"]))
    assert done["deleted"] == eu["created"] and done["run_status"] == "done"
    remaining = {c["id"] for c in httpx.get(f"{plenty.base_url}/_sandbox/contacts").json()}
    assert theirs and theirs <= remaining
