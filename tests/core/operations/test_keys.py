"""Key rotation: every stored secret readable under the new key, the old key retired."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet, MultiFernet

from core.clients import client_password
from core.db.models import Client, MagentoSource
from core.errors import SecretKeyError
from core.operations.keys import rotate_key
from core.plenty import DatabaseTokenStore, StoredToken
from core.secrets import decrypt, encrypt
from core.settings import get_settings, reset_settings
from core.sources import source_secrets
from tests.worker.offline import offline_profile


def _store_token() -> DatabaseTokenStore:
    store = DatabaseTokenStore()
    store.save("api@erp", StoredToken(encrypt("token-123"), 2e9, 2e9))
    return store


def _assert_readable() -> None:
    client = Client.get()
    assert client_password(client).reveal() == "secret"
    assert source_secrets(MagentoSource.get())["token"].reveal() == "t"
    token = DatabaseTokenStore().load("api@erp")
    assert token is not None and decrypt(token.sealed).reveal() == "token-123"


def test_key_file_rotation_keeps_every_secret_readable(sqlite_db: str) -> None:
    offline_profile()
    _store_token()
    key_file: Path = get_settings().key_file
    old_key = key_file.read_text().strip()
    stored_before = Client.get().password
    seen: list[int] = []

    def also(cipher: MultiFernet) -> int:
        # While rotating, the file holds the new key first and the old one still reads.
        keys = key_file.read_text().split()
        assert keys[1] == old_key and keys[0] != old_key
        seen.append(1)
        return 0

    rotation = rotate_key(also=also)

    assert seen == [1]
    assert (rotation.clients, rotation.sources, rotation.tokens) == (1, 1, 1)
    new_keys = key_file.read_text().split()
    assert len(new_keys) == 1 and new_keys[0] != old_key
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Client.get().password != stored_before
    _assert_readable()
    with pytest.raises(SecretKeyError):  # the old key alone no longer reads anything
        decrypt(Client.get().password, MultiFernet([Fernet(old_key.encode())]))


def test_environment_key_rotation_needs_the_new_key_first(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = Fernet.generate_key().decode()
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", old_key)
    reset_settings()
    offline_profile()
    _store_token()
    with pytest.raises(SecretKeyError, match="NEW,OLD"):
        rotate_key()

    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", f"{new_key},{old_key}")
    reset_settings()
    rotation = rotate_key()
    assert (rotation.clients, rotation.sources, rotation.tokens) == (1, 1, 1)

    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", new_key)  # the old key dropped
    reset_settings()
    _assert_readable()


def test_a_bad_new_key_leaves_the_key_file_alone(sqlite_db: str) -> None:
    offline_profile()
    key_file = get_settings().key_file
    before = key_file.read_text()
    with pytest.raises(SecretKeyError):
        rotate_key(new_key="not-a-key")
    assert key_file.read_text() == before
    assert client_password(Client.get()).reveal() == "secret"
