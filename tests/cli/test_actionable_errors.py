"""Errors a sysadmin can act on: each names the value, where it is wrong and what is allowed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    in_process,
    invoke,
    set_up_profile_in_process,
    small_sandboxes,
)

pytestmark = pytest.mark.usefixtures("secrets_in_env")


def one_error(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def _client(url: str = "http://127.0.0.1:9") -> Result:
    return invoke(*_client_args(url))


def _source(url: str = "http://127.0.0.1:8") -> Result:
    return invoke("source", "add", "--name", "shop", "--namespace", "shop-eu", "--url", url)


def test_a_malformed_json_value_in_set_says_where() -> None:
    assert _client().exit_code == 0 and _source().exit_code == 0
    line = one_error(
        "profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
        "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,}]',
    )  # fmt: skip
    assert "--set store.store_mapping: not valid JSON at line 1 column 36" in line
    mapping = '[{"store_id":"*","plenty_id":12345,"locale":"en"}]'
    ok = invoke("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
             "--set", f"store.store_mapping={mapping}")  # fmt: skip
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("shop.example.com", "must start with http:// or https://"),
        ("ftp://shop.example.com", "must start with http:// or https://"),
        ("https://", "names no host"),
        ("https://shop.example.com:port", "not a usable URL"),
        ("https://shop.example.com/?a=1", "must not have a query"),
    ],
)
def test_client_and_source_urls_need_a_scheme_and_a_host(url: str, says: str) -> None:
    assert invoke("db", "upgrade").exit_code == 0  # the new database's notice is not the error
    assert says in one_error(*_client_args(url))
    assert says in one_error("source", "add", "--name", "shop", "--namespace", "shop-eu",
                             "--url", url)  # fmt: skip
    assert invoke("client", "list", "--json").stdout.strip() == "[]"


def _client_args(url: str) -> list[str]:
    return ["client", "add", "--name", "erp", "--url", url, "--username", "u"]


def test_edit_checks_the_url_too() -> None:
    assert _client().exit_code == 0 and _source().exit_code == 0
    assert "names no host" in one_error("client", "edit", "erp", "--url", "http:///api")
    assert "must start with" in one_error("source", "edit", "shop", "--url", "shop.example.com")
    assert (
        json.loads(invoke("client", "list", "--json").stdout)[0]["base_url"] == "http://127.0.0.1:9"
    )


def test_an_unknown_run_status_names_the_known_ones() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    for command in (["run", "list"], ["history"]):
        line = one_error(*command, "--status", "bogus")
        assert "no run status 'bogus'; known: pending, running, paused, done, failed" in line
    assert invoke("run", "list", "--status", "cancelled").exit_code == 0
    assert invoke("history", "--status", "error").exit_code == 0


@pytest.fixture
def profile() -> Iterator[RunningServer]:
    """A runnable profile 'eu' against both sandboxes, its configuration collected."""
    with small_sandboxes(customers=12, seed=5, orders=500) as (plenty, magento):
        set_up_profile_in_process(plenty, magento, client=FAST_CLIENT)
        yield magento


def test_an_unknown_store_id_names_the_store_views(profile: RunningServer) -> None:
    for extra in ([], ["--dry-run"]):
        line = one_error("customer", "export", "--profile-id", "eu", "--store-id", "77", *extra)
        assert "--store-id 77: source 'shop' has no such store view; known: 1" in line
    assert invoke("customer", "export", "--profile-id", "eu", "--store-id", "1").exit_code in (0, 3)


def test_a_corrupt_database_file_is_one_line_naming_it(plentysync_home: Path) -> None:
    plentysync_home.mkdir(parents=True, exist_ok=True)
    (plentysync_home / "plentysync.db").write_bytes(b"not a database, " * 400)
    line = one_error("client", "list")
    assert f"cannot use the database sqlite:///{plentysync_home}/plentysync.db" in line
    assert "file is not a database" in line


def test_a_home_that_is_a_file_is_named_without_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("")
    r = in_process(home, "client", "list")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: cannot open the database sqlite:///{home}/plentysync.db: {home} is a file, "
        "not a directory; check PLENTYSYNC_HOME or the database URL"
    ]


def test_an_unreachable_plentyone_is_named_by_its_url() -> None:
    assert _client("http://127.0.0.1:9").exit_code == 0
    result = invoke("customer", "collect-config", "--client-id", "erp")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "error: cannot reach PlentyONE at http://127.0.0.1:9/rest/login: ConnectError"
    ]


def test_named_customer_ids_that_magento_lacks_are_named(profile: RunningServer) -> None:
    result = invoke(
        "customer", "export", "--profile-id", "eu", "--entity-ids", "1-3,500-502", "--json"
    )
    assert result.exit_code in (0, 3), result.output
    summary = json.loads(result.stdout)
    assert summary["total"] == 6 and summary["skipped"] >= 3
    assert (
        "note: 3 of the customer ids named are not in Magento (skipped): 500, 501, 502"
        in result.stderr
    )
    shown = invoke("history", "show", str(summary["run"]), "--json").stdout
    assert "no customer with this id in Magento" in shown


def test_run_resume_refuses_a_run_that_does_not_exist() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    assert "no run 99" in one_error("run", "resume", "99")
