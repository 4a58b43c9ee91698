"""A sysadmin's first export from the command line, against both sandboxes over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread
from tests.cli.support import add_sandbox_client
from tests.cli.support import in_process as cli


@pytest.fixture
def servers() -> Iterator[tuple[RunningServer, RunningServer]]:
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=60, seed=9, orders=20))
        ) as magento,
    ):
        yield plenty, magento


def test_set_up_collect_and_export(
    tmp_path: Path, servers: tuple[RunningServer, RunningServer]
) -> None:
    plenty, magento = servers
    home = tmp_path / "data"
    added = add_sandbox_client(
        home, plenty.base_url, *["--read-limit", "50000", "--write-limit", "50000"]
    )
    assert added.returncode == 0, added.stderr
    source = cli(
        home,
        *["source", "add", "--name", "shop", "--namespace", "shop-eu", "--url", magento.base_url],
        env={"PLENTYSYNC_SOURCE_TOKEN": DEFAULT_INTEGRATION_TOKEN},
    )
    assert source.returncode == 0, source.stderr
    refused = cli(
        home,
        "profile",
        "create",
        "--name",
        "eu",
        "--client",
        "erp",
        "--source",
        "shop",
        "--set",
        "schedule.status=false",
    )
    assert refused.returncode == 0
    early = cli(home, "customer", "export", "--profile-id", "eu")
    assert early.returncode == 2
    assert "collect-config --client 1" in early.stderr and "store.referrer_id" in early.stderr

    collected = cli(home, "customer", "collect-config", "--client-id", "erp", "--source-id", "shop")
    assert collected.returncode == 0, collected.stderr
    assert "261 countries" in collected.stdout and "6 groups" in collected.stdout
    edit = cli(
        home,
        "profile",
        "edit",
        "eu",
        "--set",
        "store.referrer_id=1",
        "--set",
        'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]',
    )
    assert edit.returncode == 0 and "runnable: yes" in edit.stdout, edit.stdout

    first = cli(
        home, "customer", "export", "--profile-id", "eu", "--entity-ids", "1-20,25", "--json"
    )
    summary = json.loads(first.stdout)
    assert first.returncode == (3 if summary["failed"] else 0), first.stderr
    assert summary["status"] == "done" and summary["total"] == 21
    assert summary["created"] + summary["failed"] == 21
    assert summary["api_calls"]["write"] >= summary["created"]

    again = json.loads(cli(home, "customer", "export", "--profile-id", "eu", "--json").stdout)
    assert again["total"] > 60  # every customer, then the guest buyers
    assert again["unchanged"] == summary["created"]
    assert (
        again["created"] + again["failed"] + again["unchanged"] + again["skipped"] == again["total"]
    )

    bad = cli(home, "customer", "export", "--profile-id", "eu", "--entity-ids", "a-b")
    assert bad.returncode == 2 and "--entity-ids" in bad.stderr


def test_create_referrer_and_delete_config(
    tmp_path: Path, servers: tuple[RunningServer, RunningServer]
) -> None:
    plenty, _ = servers
    home = tmp_path / "data"
    assert add_sandbox_client(home, plenty.base_url).returncode == 0
    made = cli(home, "customer", "create-referrer", "--client-id", "erp", "--name", "Shop DE")
    assert made.returncode == 0, made.stderr
    assert "created" in made.stdout
    removed = cli(home, "customer", "delete-config", "--client-id", "erp", "--yes")
    assert removed.returncode == 0 and "7 kinds removed" in removed.stdout
