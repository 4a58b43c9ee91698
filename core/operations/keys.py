"""Changing the secret key: every stored secret re-encrypted under a new key.

Fernet tokens are decrypted by any key of a ``MultiFernet`` and re-encrypted under its
first, so during the rotation the old key keeps working: a worker reading a password that
is not rotated yet still reads it.

* Key from ``PLENTYSYNC_SECRET_KEY``: put the new key first (``new,old``), rotate, then
  drop the old key from the variable.
* Key file: the new key is written first in the file (old keys after it), every secret is
  rotated, then the file keeps only the new key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet

from core.db.connection import write_transaction
from core.db.models import Client, MagentoSource, SharedState
from core.errors import SecretKeyError
from core.files import create_private_file
from core.plenty import DatabaseTokenStore, StoredToken
from core.secrets import _parse_keys, load_cipher, rotate
from core.settings import Settings, get_settings


@dataclass(frozen=True)
class Rotation:
    """What a key rotation re-encrypted."""

    clients: int
    sources: int
    tokens: int
    key_file: Path | None


def _write_keys(path: Path, keys: list[str]) -> None:
    """Replace the key file atomically, readable by its owner only."""
    temporary = path.with_name(path.name + ".new")
    with os.fdopen(create_private_file(temporary), "w", encoding="ascii") as handle:
        handle.write("\n".join(keys) + "\n")
    os.replace(temporary, path)


def rotate_stored_secrets(cipher: MultiFernet) -> tuple[int, int, int]:
    """Re-encrypt passwords, source credentials and stored tokens under the first key."""
    clients = sources = tokens = 0
    for client in Client.select(Client.id, Client.password).where(Client.password != ""):
        with write_transaction():
            Client.update(password=rotate(client.password, cipher)).where(
                Client.id == client.id
            ).execute()
        clients += 1
    for source in MagentoSource.select(MagentoSource.id, MagentoSource.credentials).where(
        MagentoSource.credentials != ""
    ):
        with write_transaction():
            MagentoSource.update(credentials=rotate(source.credentials, cipher)).where(
                MagentoSource.id == source.id
            ).execute()
        sources += 1
    prefix = DatabaseTokenStore.token_prefix
    for row in SharedState.select().where(SharedState.key.startswith(prefix)):
        token = StoredToken.from_json(row.value)
        resealed = replace(token, sealed=rotate(token.sealed, cipher))
        with write_transaction():
            # Only if no process stored a newer token meanwhile (that one is sealed already).
            SharedState.update(value=resealed.to_json(), version=row.version + 1).where(
                (SharedState.id == row.id) & (SharedState.version == row.version)
            ).execute()
        tokens += 1
    return clients, sources, tokens


TokenRotator = Callable[[MultiFernet], int]


def rotate_key(
    settings: Settings | None = None,
    new_key: str | None = None,
    also: TokenRotator | None = None,
) -> Rotation:
    """Re-encrypt every stored secret under a new key (see the module for the two cases).

    ``also`` re-seals tokens kept outside the database (Redis) while both keys still work;
    it returns how many it re-sealed.
    """
    settings = settings or get_settings()
    if settings.secret_key is not None:
        if new_key is not None:
            raise SecretKeyError(
                "the key comes from PLENTYSYNC_SECRET_KEY: put the new key first there "
                "(new,old) instead of passing it"
            )
        raw = settings.secret_key.get_secret_value()
        if len(_parse_keys(raw)) < 2:
            raise SecretKeyError(
                "PLENTYSYNC_SECRET_KEY holds one key: set it to 'NEW,OLD' (generate NEW with "
                "'plentysync secrets generate-key'), rotate, then drop OLD"
            )
        cipher = load_cipher(settings)
        clients, sources, tokens = rotate_stored_secrets(cipher)
        tokens += also(cipher) if also else 0
        return Rotation(clients, sources, tokens, key_file=None)
    path = settings.key_file
    if not path.exists():
        raise SecretKeyError(f"no key file {path} and no PLENTYSYNC_SECRET_KEY: nothing to rotate")
    old = [k.strip() for k in path.read_text(encoding="ascii").splitlines() if k.strip()]
    fresh = new_key or Fernet.generate_key().decode("ascii")
    _parse_keys(fresh)  # a wrong key must fail before the file changes
    # New first: from here on everything is encrypted under it and the old key still reads.
    _write_keys(path, [fresh, *old])
    cipher = load_cipher(settings, create=False)
    clients, sources, tokens = rotate_stored_secrets(cipher)
    tokens += also(cipher) if also else 0
    _write_keys(path, [fresh])
    return Rotation(clients, sources, tokens, key_file=path)
