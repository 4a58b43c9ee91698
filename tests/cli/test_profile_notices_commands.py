"""What ``profile`` commands tell the operator about values they adjust or cannot apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread

runner = CliRunner()


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets reach client and source commands through the environment, as in scripts."""
    monkeypatch.setenv("PLENTYSYNC_CLIENT_PASSWORD", "api-password")
    monkeypatch.setenv("PLENTYSYNC_SOURCE_TOKEN", DEFAULT_INTEGRATION_TOKEN)


def ok(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _client_and_source() -> None:
    ok("client", "add", "--name", "erp", "--url", "http://127.0.0.1:1",
       "--username", "api")  # fmt: skip
    ok("source", "add", "--name", "shop", "--namespace", "shop-eu",
       "--url", "http://127.0.0.1:2")  # fmt: skip


NOTICE = "notice: http_api.collection_size: 1000 is above the maximum of 500; 500 is used"


def test_a_collection_size_above_the_maximum_is_clamped_with_a_notice(tmp_path: Path) -> None:
    _client_and_source()
    created = ok("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
                 "--set", "http_api.collection_size=1000")  # fmt: skip
    assert NOTICE in created.stderr
    info = json.loads(ok("profile", "info", "eu", "--json").stdout)
    assert info["settings"]["http_api"]["collection_size"] == 500

    edited = ok("profile", "edit", "eu", "--set", "http_api.collection_size=1000")
    assert NOTICE in edited.stderr
    assert (
        "notice" not in ok("profile", "edit", "eu", "--set", "http_api.collection_size=300").stderr
    )

    document = json.loads(ok("profile", "export-config", "eu").stdout)
    document["settings"]["http_api"]["collection_size"] = 1000
    path = tmp_path / "eu.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert NOTICE in ok("profile", "import-config", str(path), "--replace").stderr
    info = json.loads(ok("profile", "info", "eu", "--json").stdout)
    assert info["settings"]["http_api"]["collection_size"] == 500


def test_the_referrer_is_create_only_and_info_says_so_after_a_change() -> None:
    for command in ("create", "edit"):
        shown = ok("profile", command, "--help").stdout.replace("│", " ")
        assert "given to new contacts only: PlentyONE keeps a contact's referrer" in " ".join(
            shown.split()
        )
    limits = RateLimits(short_read=50_000, short_write=50_000)
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(customers=6, seed=2))) as magento,
    ):
        ok("client", "add", "--name", "erp", "--url", plenty.base_url, "--username", "api-user",
           "--read-limit", "50000", "--write-limit", "50000",
           "--share", "1.0")  # fmt: skip
        ok("source", "add", "--name", "shop", "--namespace", "shop-eu",
           "--url", magento.base_url)  # fmt: skip
        ok("customer", "collect-config", "--client-id", "erp", "--source-id", "shop")
        ok("profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
           "--set", "schedule.status=false", "--set", "store.referrer_id=1",
           "--set", 'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]',
           "--set", "customer.default_group=1")  # fmt: skip
        ok("profile", "edit", "eu", "--set", "store.referrer_id=0")  # no contact yet: no note
        assert json.loads(ok("profile", "info", "eu", "--json").stdout)["referrer_note"] is None
        ok("profile", "edit", "eu", "--set", "store.referrer_id=1")
        run = json.loads(ok("customer", "export", "--profile-id", "eu", "--json").stdout)
        assert run["created"] > 0

        edited = ok("profile", "edit", "eu", "--set", "store.referrer_id=4.01").stdout
        expected = f"{run['created']} under 1 until"
        assert "note:" in edited and expected in edited
        info = ok("profile", "info", "eu").stdout
        assert expected in info and "only contacts created from now on get 4.01" in info
        note = json.loads(ok("profile", "info", "eu", "--json").stdout)["referrer_note"]
        assert expected in note and "PlentyONE keeps a contact's referrer" in note

        ok("profile", "edit", "eu", "--set", "store.referrer_id=1")
        assert "note:" not in ok("profile", "info", "eu").stdout
