"""Secrets at rest: Fernet encryption with a key from the environment or a 0600 key file."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.errors import SecretKeyError
from core.files import create_private_file, private_dir, tighten
from core.settings import Settings, get_settings

PREFIX = "fernet:"


class Secret:
    """A secret value in memory that never shows itself in ``repr``, ``str`` or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def _parse_keys(raw: str) -> list[Fernet]:
    keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    if not keys:
        raise SecretKeyError("the secret key is empty")
    try:
        return [Fernet(k.encode()) for k in keys]
    except (ValueError, TypeError) as exc:
        raise SecretKeyError(
            "the secret key is not a valid Fernet key (44 url-safe base64 characters); "
            "generate one with: plentysync secrets generate-key"
        ) from exc


def load_cipher(settings: Settings | None = None, *, create: bool = True) -> MultiFernet:
    """The cipher for stored secrets; the first key encrypts, every listed key decrypts.

    ``PLENTYSYNC_SECRET_KEY`` (comma-separated for rotation) wins; otherwise the key file in
    the data directory, created with mode 0600 on first use when ``create`` is true.
    """
    settings = settings or get_settings()
    if settings.secret_key is not None:
        return MultiFernet(_parse_keys(settings.secret_key.get_secret_value()))
    path = settings.key_file
    if not path.exists():
        if not create:
            raise SecretKeyError(
                f"no secret key: set PLENTYSYNC_SECRET_KEY or restore the key file {path}"
            )
        _write_key_file(path, Fernet.generate_key().decode())
    tighten(path)
    return MultiFernet(_parse_keys(path.read_text(encoding="ascii")))


def _write_key_file(path: Path, key: str) -> None:
    private_dir(path.parent)
    with os.fdopen(create_private_file(path, exclusive=True), "w", encoding="ascii") as handle:
        handle.write(key + "\n")


def encrypt(plain: str, cipher: MultiFernet | None = None) -> str:
    """Encrypt ``plain`` for storage; the empty string stays empty."""
    if not plain:
        return ""
    token = (cipher or load_cipher()).encrypt(plain.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def decrypt(stored: str, cipher: MultiFernet | None = None) -> Secret:
    """Decrypt a stored secret; a wrong key gives a clear error, never garbage."""
    if not stored:
        return Secret("")
    if not stored.startswith(PREFIX):
        raise SecretKeyError("a stored secret is not in plentysync's encrypted format")
    try:
        plain = (cipher or load_cipher(create=False)).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken as exc:
        raise SecretKeyError(
            "a stored secret cannot be decrypted with the current secret key "
            "(PLENTYSYNC_SECRET_KEY or the key file was changed or lost)"
        ) from exc
    return Secret(plain.decode("utf-8"))


def rotate(stored: str, cipher: MultiFernet) -> str:
    """Re-encrypt ``stored`` under the cipher's first key."""
    if not stored:
        return ""
    token = cipher.rotate(stored[len(PREFIX) :].encode())
    return PREFIX + token.decode("ascii")
