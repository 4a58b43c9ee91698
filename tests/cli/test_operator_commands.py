"""Everyday commands as a sysadmin drives them: a default profile, the same option names in
every group, tables, the queue's subcommands and the live dry run, against both sandboxes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cli._common import out
from core.db.models import QueueItem, Run
from core.settings import reset_settings
from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    invoke,
    invoke_json,
    invoke_ok,
    set_up_profile_in_process,
    small_sandboxes,
)

CUSTOMERS = 12


@pytest.fixture
def plenty() -> Iterator[RunningServer]:
    """Both sandboxes, a client, a source and the runnable profile 'eu', all set up by name."""
    with small_sandboxes(customers=CUSTOMERS, seed=5, orders=4) as (plenty, magento):
        set_up_profile_in_process(
            plenty, magento, "customer.default_group=1", client=(*FAST_CLIENT, "--share", "1.0")
        )
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
    invoke_ok("customer", "queue", "add", "--entity-ids", "1-3")
    assert invoke_json("customer", "queue", "stats")["pending"] == 3
    run = invoke_json("customer", "export", "--entity-ids", "1-2")
    assert run["created"] == 2 and Run.get_by_id(run["run"]).profile.name == "eu"
    # The older spellings still work, and a name is taken where an id was.
    assert invoke_json("customer", "queue", "stats", "--profile-id", "eu")["total"] == 3
    listed = invoke_json("run", "list", "--profile", "eu")
    assert [r["run"] for r in listed] == [run["run"]]
    assert invoke_json("history", "--profile", "eu")[0]["run"] == run["run"]
    invoke_ok("customer", "delete-config", "--client", "erp", "--yes")


def test_without_a_profile_the_command_says_how_to_name_one(plenty: RunningServer) -> None:
    refused = invoke("customer", "export")
    assert refused.exit_code == 2
    assert "give --profile NAME or set PLENTYSYNC_PROFILE" in refused.output


def test_lists_are_tables_with_headers_and_json(plenty: RunningServer) -> None:
    invoke_ok("schedule", "add", "--name", "nightly", "--cron", "0 2 * * *")
    exported = invoke_json("customer", "export", "--profile", "eu", "--entity-ids", "1-3")
    headers = {
        ("client", "list"): ("ID", "NAME", "URL", "USER", "PLAN"),
        ("source", "list"): ("ID", "NAME", "NAMESPACE", "URL", "AUTH"),
        ("schedule", "list"): ("ID", "NAME", "CRON", "TIME ZONE", "NEXT DUE"),
        ("profile", "list"): ("ID", "NAME", "CLIENT", "SOURCE", "RUNNABLE"),
        ("run", "list"): ("RUN", "PROFILE", "TRIGGER", "STATUS", "CREATED", "FAILED"),
        ("history",): ("RUN", "STARTED", "PROFILE", "STATUS", "CUSTOMERS"),
    }
    for command, wanted in headers.items():
        text = invoke_ok(*command).stdout
        first = text.splitlines()[0]
        for heading in wanted:
            assert heading in first, (command, first)
    assert invoke_json("client", "list")[0]["name"] == "erp"
    assert invoke_json("client", "show", "erp")["password"] == "(set, encrypted)"
    shown = invoke_ok("client", "show", "erp").stdout
    assert "name: erp" in shown and "api-password" not in shown
    assert invoke_json("source", "list")[0]["namespace"] == "shop-eu"
    assert "namespace: shop-eu" in invoke_ok("source", "show", "shop").stdout
    assert invoke_json("schedule", "list")[0]["name"] == "nightly"
    assert invoke_json("profile", "list")[0]["runnable"] is True
    runs = invoke_json("run", "list")
    assert runs[0]["run"] == exported["run"] and runs[0]["created"] == exported["created"]
    assert invoke_json("customer", "conflicts", "list", "--profile", "eu") == []


def test_profile_info_gives_the_verdict_once_then_readable_settings(
    plenty: RunningServer,
) -> None:
    before = invoke_json("profile", "info", "eu")
    text = invoke_ok("profile", "info", "eu").stdout
    assert text.count("runnable:") == 1
    lines = text.splitlines()
    assert lines[1] == "runnable: yes"
    assert "schedule" in lines and "  status: false" in lines
    assert "  referrer_id: 1.0" in lines and "{" not in text
    assert invoke_json("profile", "info", "eu") == before
    invoke_ok("customer", "delete-config", "--source", "shop", "--yes")
    broken = invoke("profile", "info", "eu")
    assert broken.exit_code == 1
    assert broken.stdout.count("runnable: no") == 1


def test_queue_subcommands_and_an_inline_drain(plenty: RunningServer) -> None:
    eu = ("--profile", "eu")
    assert "5 customers queued (5 new" in invoke_ok("customer", "queue", "add", *eu,
                                             "--entity-ids", "1-5").stdout  # fmt: skip
    listed = invoke_ok("customer", "queue", "list", *eu, "--verbose").stdout
    assert listed.splitlines()[0].split()[:3] == ["TYPE", "ID", "STATUS"]
    assert listed.count("pending") == 5
    removed = invoke_ok("customer", "queue", "remove", *eu, "--entity-ids", "5").stdout
    assert "1 customers removed" in removed
    old = invoke("customer", "queue", "--profile-id", "eu", "--stats")
    assert old.exit_code == 0 and "deprecated" in old.output and "4 queued" in old.stdout

    drained = invoke_json("customer", "export", *eu, "--queue")
    assert drained["total"] == 4 and drained["created"] == 4
    assert Run.get_by_id(drained["run"]).trigger == "queue"
    assert invoke_json("customer", "queue", "list", *eu) == []
    assert (
        "no customer of profile 'eu' is due"
        in invoke_ok("customer", "export", *eu, "--queue").stdout
    )

    invoke_ok("customer", "queue", "add", *eu, "--entity-ids", "6-8")
    QueueItem.update(status="failed", last_error_class="failed").where(
        QueueItem.entity_key.in_(["6", "7"])
    ).execute()
    QueueItem.update(status="failed", last_error_class="conflict").where(
        QueueItem.entity_key == "8"
    ).execute()
    assert "1 failed" in invoke_ok("customer", "queue", "retry-failed", *eu, "--ids", "6").stdout
    assert "1 failed" in invoke_ok("customer", "queue", "retry-failed", *eu,
                            "--error-class", "conflict").stdout  # fmt: skip
    statuses = {e["entity_id"]: e["status"] for e in invoke_json("customer", "queue", "list", *eu)}
    assert statuses == {"6": "pending", "7": "failed", "8": "pending"}
    assert "1 failed" in invoke_ok("customer", "queue", "retry-failed", *eu).stdout
    refused = invoke("customer", "queue", "clear", *eu)
    assert refused.exit_code == 2 and invoke_json("customer", "queue", "stats", *eu)["total"] == 3
    invoke_ok("customer", "queue", "clear", *eu, "--yes")
    assert invoke_json("customer", "queue", "stats", *eu)["total"] == 0


def _staff_renames(plenty: RunningServer, contact_id: int, first_name: str) -> None:
    edited = httpx.patch(
        f"{plenty.base_url}/_sandbox/contacts/{contact_id}",
        json={"fields": {"firstName": first_name}},
    )
    assert edited.status_code == 200


def test_live_values_are_real_on_the_terminal_and_masked_on_request(
    plenty: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = invoke_json("customer", "export", "--profile", "eu", "--entity-ids", "1")
    assert run["created"] == 1
    mapping = invoke_json("customer", "check-mapping", "--profile", "eu", "--customer-id", "1")
    contact_id = mapping["link"]["contact_id"]
    _staff_renames(plenty, contact_id, "Zebulon")
    live = ("customer", "export", "--profile", "eu", "--dry-run", "--live", "--entity-ids", "1")
    check = ("customer", "check-mapping", "--profile", "eu", "--customer-id", "1", "--live")

    piped = invoke_ok(*live).stdout  # not a terminal: a file or a pipe keeps the masking
    assert "firstName" in piped and "Zebulon" not in piped and "Z***" in piped

    monkeypatch.setattr(out, "_force_terminal", True)
    monkeypatch.setattr(out, "_color_system", None)
    on_screen = invoke_ok(*live).stdout
    assert "'Zebulon'" in on_screen
    assert "'Zebulon'" in invoke_ok(*check).stdout
    shared = invoke_ok(*live, "--mask").stdout
    assert "Zebulon" not in shared and "Z***" in shared
    assert "Zebulon" not in invoke_ok(*check, "--mask").stdout
