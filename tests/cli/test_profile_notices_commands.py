"""What ``profile`` commands tell the operator about values they adjust or cannot apply."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import (
    FAST_CLIENT,
    add_client_and_source_in_process,
    invoke_json,
    invoke_ok,
    set_up_profile_in_process,
    small_sandboxes,
)


def _client_and_source() -> None:
    add_client_and_source_in_process("http://127.0.0.1:1", "http://127.0.0.1:2")


NOTICE = "notice: http_api.collection_size: 1000 is above the maximum of 500; 500 is used"


def test_a_collection_size_above_the_maximum_is_clamped_with_a_notice(tmp_path: Path) -> None:
    _client_and_source()
    created = invoke_ok("profile", "create", "--name", "eu", "--client", "erp",
                        "--source", "shop", "--set", "http_api.collection_size=1000")  # fmt: skip
    assert NOTICE in created.stderr
    info = json.loads(invoke_ok("profile", "info", "eu", "--json").stdout)
    assert info["settings"]["http_api"]["collection_size"] == 500

    edited = invoke_ok("profile", "edit", "eu", "--set", "http_api.collection_size=1000")
    assert NOTICE in edited.stderr
    assert (
        "notice"
        not in invoke_ok("profile", "edit", "eu", "--set", "http_api.collection_size=300").stderr
    )

    document = json.loads(invoke_ok("profile", "export-config", "eu").stdout)
    document["settings"]["http_api"]["collection_size"] = 1000
    path = tmp_path / "eu.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert NOTICE in invoke_ok("profile", "import-config", str(path), "--replace").stderr
    info = json.loads(invoke_ok("profile", "info", "eu", "--json").stdout)
    assert info["settings"]["http_api"]["collection_size"] == 500


def test_the_referrer_is_create_only_and_info_says_so_after_a_change() -> None:
    for command in ("create", "edit"):
        shown = invoke_ok("profile", command, "--help").stdout.replace("│", " ")
        assert "given to new contacts only: PlentyONE keeps a contact's referrer" in " ".join(
            shown.split()
        )
    with small_sandboxes(customers=6, seed=2, orders=500) as (plenty, shop):
        set_up_profile_in_process(
            plenty, shop, "customer.default_group=1", client=(*FAST_CLIENT, "--share", "1.0")
        )
        invoke_ok("profile", "edit", "eu", "--set", "store.referrer_id=0")  # no contact: no note
        info = invoke_json("profile", "info", "eu")
        assert info["referrer_note"] is None
        invoke_ok("profile", "edit", "eu", "--set", "store.referrer_id=1")
        run = json.loads(invoke_ok("customer", "export", "--profile-id", "eu", "--json").stdout)
        assert run["created"] > 0

        edited = invoke_ok("profile", "edit", "eu", "--set", "store.referrer_id=4.01").stdout
        expected = f"{run['created']} under 1 until"
        assert "note:" in edited and expected in edited
        info = invoke_ok("profile", "info", "eu").stdout
        assert expected in info and "only contacts created from now on get 4.01" in info
        note = json.loads(invoke_ok("profile", "info", "eu", "--json").stdout)["referrer_note"]
        assert expected in note and "PlentyONE keeps a contact's referrer" in note

        invoke_ok("profile", "edit", "eu", "--set", "store.referrer_id=1")
        assert "note:" not in invoke_ok("profile", "info", "eu").stdout
