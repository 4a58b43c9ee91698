"""What ``profile`` commands tell the operator about values they adjust or cannot apply."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from cli.main import app

runner = CliRunner()


def ok(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _client_and_source() -> None:
    ok("client", "add", "--name", "erp", "--url", "http://127.0.0.1:1",
       "--username", "api", "--password", "pw")  # fmt: skip
    ok("source", "add", "--name", "shop", "--namespace", "shop-eu",
       "--url", "http://127.0.0.1:2", "--token", "t0ken")  # fmt: skip


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
