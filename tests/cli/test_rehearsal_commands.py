"""A rehearsal on the shop's own CSV exports: import, validate, dry run, export, purge."""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.rehearsal import load_rehearsal
from sandbox.server import RunningServer, free_port, serve_in_thread
from tests.cli.support import (
    FAST_CLIENT,
    invoke,
    invoke_json,
    invoke_ok,
    serving_sandbox,
    set_up_profile_in_process,
)
from tests.sandbox.rehearsal.support import ADDRESSES_CSV, CUSTOMERS_CSV, SECRET_MARKERS

IMPORT = ["sandbox", "magento", "--import-csv", str(CUSTOMERS_CSV), str(ADDRESSES_CSV)]
VALID_EMAILS = {
    "anna.kowalczyk@example.org",
    "t.hartmann@example.net",  # on two websites: two contacts
    "sophie.brunner@example.at",
    "compta@atelier-lefevre.example.fr",
    "j.mueller@example.de",
    "no.address@example.com",
    "w.oyelaran@example.co.uk",
    "claire.dubois@example.fr",
}

pytestmark = pytest.mark.usefixtures("secrets_in_env")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _every_file(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()]


@pytest.fixture
def rehearsal(plentysync_home: Path) -> Iterator[RunningServer]:
    """Both sandboxes, the Magento one serving the imported fixture, and a runnable profile."""
    imported = invoke_ok(*IMPORT, "--no-serve").stdout
    assert "imported 10 customers with 10 addresses on 3 websites; 8 rows refused" in imported
    shop = load_rehearsal(plentysync_home / "rehearsal")
    assert shop is not None
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(imported=shop)) as magento,
    ):
        steps = set_up_profile_in_process(
            plenty,
            magento,
            "customer.default_group=1",
            client=(*FAST_CLIENT, "--share", "1.0"),
            namespace="rehearsal",
        )
        assert "5 groups, 3 websites, 4 store_views" in steps[2].stdout
        yield plenty


def test_import_reports_each_refused_row_and_the_synthetic_ids(plentysync_home: Path) -> None:
    shown = invoke_ok(*IMPORT, "--no-serve").stdout
    assert "customers.csv: customers, UTF-8 with byte-order mark, 14 rows" in shown
    assert "addresses.csv: addresses, Windows-1252, 14 rows" in shown
    assert "secret columns dropped unread: confirmation, failures_num" in shown
    assert "customers.csv:11: column dob: '31.02.1990' is not a date" in shown
    assert "addresses.csv:21: column _entity_id: 102 twice (also addresses.csv:20)" in shown
    assert "customers.csv:7: column firstname: mis-encoded text repaired" in shown
    assert "customer ids 1..10 are synthetic" in shown and "real go-live" in shown
    directory = plentysync_home / "rehearsal"
    assert _mode(directory) == 0o700 and _mode(directory / "shop.json") == 0o600


def test_validate_dry_run_and_export_see_the_imported_customers(
    rehearsal: RunningServer, plentysync_home: Path
) -> None:
    report = invoke_json("customer", "validate", "--profile-id", "eu")
    assert report["runnable"] and report["scanned_customers"] == 10
    groups = {f["value"]: f["customers"] for f in report["findings"] if f["kind"] == "group"}
    assert groups == {"1": 6, "2": 1, "3": 1, "4": 2}  # the fixture's own group ids

    preview = invoke_json("customer", "export", "--profile-id", "eu", "--dry-run")
    assert preview["counts"]["create"] == 9 and preview["counts"]["failed"] == 1
    text = invoke_ok("customer", "export", "--profile-id", "eu", "--dry-run").stdout
    assert "the e-mail address is not valid" in text and "nothing was sent" in text
    assert httpx.get(f"{rehearsal.base_url}/_sandbox/contacts").json() == []

    exported = invoke("customer", "export", "--profile-id", "eu", "--json")
    assert exported.exit_code == 3, exported.output  # done, but one customer failed
    run = json.loads(exported.stdout)
    assert (run["status"], run["total"], run["created"], run["failed"]) == ("done", 10, 9, 1)
    contacts = httpx.get(f"{rehearsal.base_url}/_sandbox/contacts").json()
    emails = [
        o["value"]
        for c in contacts
        for o in c["options"]
        if (o["typeId"], o["subTypeId"]) == (2, 4)
    ]
    assert len(contacts) == 9 and set(emails) == VALID_EMAILS
    assert sorted(c["externalId"] for c in contacts) == sorted(
        f"rehearsal:c:{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 10)
    )
    # Not the database, the logs nor the stored shop keep anything from a secret column.
    for path in _every_file(plentysync_home):
        data = path.read_bytes()
        assert not any(marker.encode() in data for marker in SECRET_MARKERS), path


def test_purge_asks_then_removes_a_rehearsal_homes_database_and_logs(
    rehearsal: RunningServer, plentysync_home: Path
) -> None:
    invoke_ok("profile", "edit", "eu", "--set", "log.is_active_request_log=true")
    assert invoke("customer", "export", "--profile-id", "eu").exit_code == 3  # one bad e-mail
    logs = plentysync_home / "logs"
    # In-process the application log may be another test's; a real process writes this one.
    (logs / "plentysync.log.1").write_text("INFO core.export: run 1 done\n")
    assert any(logs.glob("plenty-profile-*.jsonl"))
    assert (plentysync_home / "plentysync.db").exists()
    refused = invoke("sandbox", "magento", "--purge-rehearsal", stdin="n\n")
    assert refused.exit_code == 1 and "plentysync.db" in refused.output
    assert (plentysync_home / "rehearsal" / "shop.json").exists()

    purged = invoke_ok("sandbox", "magento", "--purge-rehearsal", "--yes").stdout
    assert "purged" in purged
    assert not (plentysync_home / "rehearsal").exists()
    assert not (plentysync_home / "plentysync.db").exists()
    assert not any(logs.glob("plenty-profile-*")) and not any(logs.glob("plentysync.log*"))
    assert (
        "nothing to purge" in invoke_ok("sandbox", "magento", "--purge-rehearsal", "--yes").stdout
    )


def test_importing_again_keeps_the_home_the_rehearsals(
    rehearsal: RunningServer, plentysync_home: Path
) -> None:
    again = invoke_ok(*IMPORT, "--no-serve")
    assert "replaces the earlier import" in again.stdout
    assert "already has a database" not in again.stderr
    invoke_ok("sandbox", "magento", "--purge-rehearsal", "--yes")
    assert not (plentysync_home / "plentysync.db").exists()


def test_purge_leaves_a_home_that_was_in_use_before(plentysync_home: Path) -> None:
    invoke_ok("client", "add", "--name", "erp", "--url", "http://127.0.0.1:9", "--username", "u")
    imported = invoke_ok(*IMPORT, "--no-serve")
    assert "already has a database" in imported.stderr
    purged = invoke_ok("sandbox", "magento", "--purge-rehearsal", "--yes").stdout
    assert "left alone" in purged
    assert not (plentysync_home / "rehearsal").exists()
    assert (plentysync_home / "plentysync.db").exists()
    assert "erp" in invoke_ok("client", "list").stdout


def test_unreadable_input_is_refused(plentysync_home: Path, tmp_path: Path) -> None:
    nothing = invoke("sandbox", "magento", "--rehearsal", "--no-serve")
    assert nothing.exit_code == 2 and "use --import-csv first" in nothing.stderr
    products = tmp_path / "products.csv"
    products.write_text("sku,name\nA-1,Chair\n", encoding="utf-8")
    refused = invoke("sandbox", "magento", "--import-csv", str(products), "--no-serve")
    assert refused.exit_code == 2 and "no customer could be read" in refused.stderr
    assert "products.csv:1: not a Magento customer export" in refused.stdout
    assert not (plentysync_home / "rehearsal").exists()
    missing = invoke("sandbox", "magento", "--import-csv", str(tmp_path / "gone.csv"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert invoke("sandbox", "magento", "--import-csv").exit_code == 2
    assert invoke("sandbox", "magento", str(CUSTOMERS_CSV)).exit_code == 2


def test_rehearsal_flag_serves_the_stored_shop(plentysync_home: Path) -> None:
    invoke_ok(*IMPORT, "--no-serve")
    port = free_port()
    with serving_sandbox("magento", "--rehearsal", "--port", str(port)) as process:
        url = f"http://127.0.0.1:{port}/rest/V1/customers/search"
        params = {"searchCriteria[pageSize]": "50"}
        headers = {"Authorization": f"Bearer {DEFAULT_INTEGRATION_TOKEN}"}
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(url, params=params, headers=headers)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "the sandbox did not start"
                time.sleep(0.1)
        assert answer.json()["total_count"] == 10
