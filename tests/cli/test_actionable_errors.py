"""Errors a sysadmin can act on: each names the value, where it is wrong and what is allowed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN

runner = CliRunner()


def cli(*args: str) -> Result:
    return runner.invoke(app, list(args))


def one_error(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def _client(url: str = "http://127.0.0.1:9") -> Result:
    return cli(*_client_args(url))


def _source(url: str = "http://127.0.0.1:8") -> Result:
    return cli("source", "add", "--name", "shop", "--namespace", "shop-eu", "--url", url,
               "--token", DEFAULT_INTEGRATION_TOKEN)  # fmt: skip


def test_a_malformed_json_value_in_set_says_where() -> None:
    assert _client().exit_code == 0 and _source().exit_code == 0
    line = one_error(
        "profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
        "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,}]',
    )  # fmt: skip
    assert "--set store.store_mapping: not valid JSON at line 1 column 36" in line
    mapping = '[{"store_id":"*","plenty_id":12345,"locale":"en"}]'
    ok = cli("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
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
    assert cli("db", "upgrade").exit_code == 0  # the new database's notice is not the error
    assert says in one_error(*_client_args(url))
    assert says in one_error("source", "add", "--name", "shop", "--namespace", "shop-eu",
                             "--url", url, "--token", "t")  # fmt: skip
    assert cli("client", "list", "--json").stdout.strip() == "[]"


def _client_args(url: str) -> list[str]:
    return ["client", "add", "--name", "erp", "--url", url, "--username", "u", "--password", "p"]


def test_edit_checks_the_url_too() -> None:
    assert _client().exit_code == 0 and _source().exit_code == 0
    assert "names no host" in one_error("client", "edit", "erp", "--url", "http:///api")
    assert "must start with" in one_error("source", "edit", "shop", "--url", "shop.example.com")
    assert json.loads(cli("client", "list", "--json").stdout)[0]["base_url"] == "http://127.0.0.1:9"
