"""Request/response logs: switched by the profile, 0600, rotated, no secret, e-mails masked."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from core.db.models import Profile
from core.export.connections import open_plenty
from core.plenty import ExchangeRecord
from core.profiles.settings import LogSection
from core.settings import get_settings, reset_settings
from core.tools.request_log import ProfileLog, log_files, release_log, request_log_hooks
from tests.core.export.conftest import Shop, export
from tests.core.tools.conftest import clean_ids

LOGS_ON = {"log": {"is_active_request_log": True, "is_active_response_log": True}}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_log_unless_the_profile_asks(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=clean_ids(shop, 3))
    assert log_files() == []
    assert request_log_hooks(profile.id, LogSection()) == []


def test_log_has_no_secret_and_masks_emails(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(LOGS_ON)
    ids = clean_ids(shop, 5)
    export(profile, guests=False, entity_ids=ids)
    [path] = log_files()
    assert _mode(path) == 0o600
    text = path.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert {line["method"] for line in lines} >= {"GET", "POST"}
    assert any(line["route"] == "/rest/accounts/contacts" and line["status"] for line in lines)
    with open_plenty(profile.client) as plenty:
        token = plenty.session.token().reveal()
    for secret in ("api-password", token, "Bearer", "Authorization"):
        assert secret not in text
    for i in ids:
        assert shop.dataset.customer(i)["email"].strip().casefold() not in text.casefold()
    assert "***@" in text
    release_log(path)


def test_unmasked_when_the_setting_is_off(
    shop: Shop, make_profile: Callable[..., Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_MASK_PERSONAL_DATA", "false")
    reset_settings()
    profile = make_profile(LOGS_ON)
    ids = clean_ids(shop, 2)
    export(profile, guests=False, entity_ids=ids)
    [path] = log_files()
    text = path.read_text().casefold()
    assert shop.dataset.customer(ids[0])["email"].strip().casefold() in text
    assert "api-password" not in text
    release_log(path)


def test_rotation_keeps_every_generation_private(tmp_path: Path) -> None:
    log = ProfileLog(7, requests=True, responses=True, log_dir=tmp_path, max_bytes=600, backups=2)
    record = ExchangeRecord(
        method="PUT",
        route="/rest/accounts/contacts/{contactId}",
        url="/rest/accounts/contacts/1",
        kind="write",
        attempt=1,
        status=200,
        duration=0.01,
        request_body={"lastName": "D***"},
        response_body={"id": 1},
    )
    for _ in range(30):
        log(record)
    files = log_files(tmp_path)
    assert [p.name for p in files] == [
        "plenty-profile-7.jsonl",
        "plenty-profile-7.jsonl.1",
        "plenty-profile-7.jsonl.2",
    ]
    assert all(_mode(p) == 0o600 for p in files)
    assert all(
        json.loads(line)["status"] == 200 for p in files for line in p.read_text().splitlines()
    )
    release_log(log.path)
    assert get_settings().mask_personal_data
