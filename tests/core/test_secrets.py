from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core.errors import SecretKeyError
from core.secrets import Secret, decrypt, encrypt, load_cipher
from core.settings import Settings, reset_settings


def test_round_trip_with_a_generated_key_file(plentysync_home: Path) -> None:
    stored = encrypt("pa55word")
    assert stored.startswith("fernet:") and "pa55word" not in stored
    assert decrypt(stored).reveal() == "pa55word"
    key_file = plentysync_home / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_key_from_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, plentysync_home: Path
) -> None:
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", Fernet.generate_key().decode())
    reset_settings()
    assert decrypt(encrypt("x")).reveal() == "x"
    assert not (plentysync_home / "secret.key").exists()


def test_a_wrong_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = encrypt("pa55word")
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", Fernet.generate_key().decode())
    reset_settings()
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        decrypt(stored)


def test_a_malformed_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", "not-a-key")
    with pytest.raises(SecretKeyError, match="not a valid Fernet key"):
        load_cipher(Settings())


def test_a_missing_key_is_not_silently_replaced() -> None:
    with pytest.raises(SecretKeyError, match="no secret key"):
        decrypt("fernet:abc")


def test_old_keys_still_decrypt_during_rotation(monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", old)
    stored = encrypt("x", load_cipher(Settings()))
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", f"{new},{old}")
    assert decrypt(stored, load_cipher(Settings())).reveal() == "x"


def test_secrets_never_show_themselves() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret)
    assert f"{secret}" != "hunter2"
    assert secret.reveal() == "hunter2"
