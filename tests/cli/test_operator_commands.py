"""Everyday commands as a sysadmin drives them: a default profile, the same option names in
every group, tables, the queue's subcommands and the live dry run, against both sandboxes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from cli._common import out
from cli.main import app
from core.db.models import QueueItem, Run
from core.settings import reset_settings
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread

CUSTOMERS = 12
runner = CliRunner()


def cli(*args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(*args: str) -> Result:
    result = cli(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


@pytest.fixture
def plenty() -> Iterator[RunningServer]:
    """Both sandboxes, a client, a source and the runnable profile 'eu', all set up by name."""
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=CUSTOMERS, seed=5, orders=4))
        ) as magento,
    ):
        ok("client", "add", "--name", "erp", "--url", plenty.base_url,
           "--username", "api-user", "--password", "api-password", "--read-limit", "50000",
           "--write-limit", "50000", "--share", "1.0")  # fmt: skip
        ok("source", "add", "--name", "shop", "--namespace", "shop-eu",
           "--url", magento.base_url, "--token", DEFAULT_INTEGRATION_TOKEN)  # fmt: skip
        ok("customer", "collect-config", "--client", "erp", "--source", "shop")
        ok("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
           "--set", "schedule.status=false", "--set", "store.referrer_id=1",
           "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]',
           "--set", "customer.default_group=1")  # fmt: skip
        yield plenty


@pytest.fixture
def default_profile(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PLENTYSYNC_PROFILE", "eu")
    reset_settings()
    yield
    reset_settings()


def test_a_default_profile_and_the_same_option_names_everywhere(
    plenty: RunningServer, default_profile: None
) -> None:
    ok("customer", "queue", "add", "--entity-ids", "1-3")
    assert as_json("customer", "queue", "stats")["pending"] == 3
    run = as_json("customer", "export", "--entity-ids", "1-2")
    assert run["created"] == 2 and Run.get_by_id(run["run"]).profile.name == "eu"
    # The older spellings still work, and a name is taken where an id was.
    assert as_json("customer", "queue", "stats", "--profile-id", "eu")["total"] == 3
    listed = as_json("run", "list", "--profile", "eu")
    assert [r["run"] for r in listed] == [run["run"]]
    assert as_json("history", "--profile", "eu")[0]["run"] == run["run"]
    ok("customer", "delete-config", "--client", "erp", "--yes")


def test_without_a_profile_the_command_says_how_to_name_one(plenty: RunningServer) -> None:
    refused = cli("customer", "export")
    assert refused.exit_code == 2
    assert "give --profile NAME or set PLENTYSYNC_PROFILE" in refused.output


def test_lists_are_tables_with_headers_and_json(plenty: RunningServer) -> None:
    ok("schedule", "add", "--name", "nightly", "--cron", "0 2 * * *")
    exported = as_json("customer", "export", "--profile", "eu", "--entity-ids", "1-3")
    headers = {
        ("client", "list"): ("ID", "NAME", "URL", "USER", "PLAN"),
        ("source", "list"): ("ID", "NAME", "NAMESPACE", "URL", "AUTH"),
        ("schedule", "list"): ("ID", "NAME", "CRON", "TIME ZONE", "NEXT DUE"),
        ("profile", "list"): ("ID", "NAME", "CLIENT", "SOURCE", "RUNNABLE"),
        ("run", "list"): ("RUN", "PROFILE", "TRIGGER", "STATUS", "CREATED", "FAILED"),
        ("history",): ("RUN", "STARTED", "PROFILE", "STATUS", "CUSTOMERS"),
    }
    for command, wanted in headers.items():
        text = ok(*command).stdout
        first = text.splitlines()[0]
        for heading in wanted:
            assert heading in first, (command, first)
    assert as_json("client", "list")[0]["name"] == "erp"
    assert as_json("client", "show", "erp")["password"] == "(set, encrypted)"
    shown = ok("client", "show", "erp").stdout
    assert "name: erp" in shown and "api-password" not in shown
    assert as_json("source", "list")[0]["namespace"] == "shop-eu"
    assert "namespace: shop-eu" in ok("source", "show", "shop").stdout
    assert as_json("schedule", "list")[0]["name"] == "nightly"
    assert as_json("profile", "list")[0]["runnable"] is True
    runs = as_json("run", "list")
    assert runs[0]["run"] == exported["run"] and runs[0]["created"] == exported["created"]
    assert as_json("customer", "conflicts", "list", "--profile", "eu") == []


def test_profile_info_gives_the_verdict_once_then_readable_settings(
    plenty: RunningServer,
) -> None:
    before = as_json("profile", "info", "eu")
    text = ok("profile", "info", "eu").stdout
    assert text.count("runnable:") == 1
    lines = text.splitlines()
    assert lines[1] == "runnable: yes"
    assert "schedule" in lines and "  status: false" in lines
    assert "  referrer_id: 1.0" in lines and "{" not in text
    assert as_json("profile", "info", "eu") == before
    ok("customer", "delete-config", "--source", "shop", "--yes")
    broken = cli("profile", "info", "eu")
    assert broken.exit_code == 1
    assert broken.stdout.count("runnable: no") == 1


def test_queue_subcommands_and_an_inline_drain(plenty: RunningServer) -> None:
    eu = ("--profile", "eu")
    assert "5 customers queued (5 new" in ok("customer", "queue", "add", *eu,
                                             "--entity-ids", "1-5").stdout  # fmt: skip
    listed = ok("customer", "queue", "list", *eu, "--verbose").stdout
    assert listed.splitlines()[0].split()[:3] == ["TYPE", "ID", "STATUS"]
    assert listed.count("pending") == 5
    removed = ok("customer", "queue", "remove", *eu, "--entity-ids", "5").stdout
    assert "1 customers removed" in removed
    old = cli("customer", "queue", "--profile-id", "eu", "--stats")
    assert old.exit_code == 0 and "deprecated" in old.output and "4 queued" in old.stdout

    drained = as_json("customer", "export", *eu, "--queue")
    assert drained["total"] == 4 and drained["created"] == 4
    assert Run.get_by_id(drained["run"]).trigger == "queue"
    assert as_json("customer", "queue", "list", *eu) == []
    assert "no customer of profile 'eu' is due" in ok("customer", "export", *eu, "--queue").stdout

    ok("customer", "queue", "add", *eu, "--entity-ids", "6-8")
    QueueItem.update(status="failed", last_error_class="failed").where(
        QueueItem.entity_key.in_(["6", "7"])
    ).execute()
    QueueItem.update(status="failed", last_error_class="conflict").where(
        QueueItem.entity_key == "8"
    ).execute()
    assert "1 failed" in ok("customer", "queue", "retry-failed", *eu, "--ids", "6").stdout
    assert "1 failed" in ok("customer", "queue", "retry-failed", *eu,
                            "--error-class", "conflict").stdout  # fmt: skip
    statuses = {e["entity_id"]: e["status"] for e in as_json("customer", "queue", "list", *eu)}
    assert statuses == {"6": "pending", "7": "failed", "8": "pending"}
    assert "1 failed" in ok("customer", "queue", "retry-failed", *eu).stdout
    refused = cli("customer", "queue", "clear", *eu)
    assert refused.exit_code == 2 and as_json("customer", "queue", "stats", *eu)["total"] == 3
    ok("customer", "queue", "clear", *eu, "--yes")
    assert as_json("customer", "queue", "stats", *eu)["total"] == 0


def _staff_renames(plenty: RunningServer, contact_id: int, first_name: str) -> None:
    edited = httpx.patch(
        f"{plenty.base_url}/_sandbox/contacts/{contact_id}",
        json={"fields": {"firstName": first_name}},
    )
    assert edited.status_code == 200


def test_live_values_are_real_on_the_terminal_and_masked_on_request(
    plenty: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = as_json("customer", "export", "--profile", "eu", "--entity-ids", "1")
    assert run["created"] == 1
    mapping = as_json("customer", "check-mapping", "--profile", "eu", "--customer-id", "1")
    contact_id = mapping["link"]["contact_id"]
    _staff_renames(plenty, contact_id, "Zebulon")
    live = ("customer", "export", "--profile", "eu", "--dry-run", "--live", "--entity-ids", "1")
    check = ("customer", "check-mapping", "--profile", "eu", "--customer-id", "1", "--live")

    piped = ok(*live).stdout  # not a terminal: a file or a pipe keeps the masking
    assert "firstName" in piped and "Zebulon" not in piped and "Z***" in piped

    monkeypatch.setattr(out, "_force_terminal", True)
    monkeypatch.setattr(out, "_color_system", None)
    on_screen = ok(*live).stdout
    assert "'Zebulon'" in on_screen
    assert "'Zebulon'" in ok(*check).stdout
    shared = ok(*live, "--mask").stdout
    assert "Zebulon" not in shared and "Z***" in shared
    assert "Zebulon" not in ok(*check, "--mask").stdout
