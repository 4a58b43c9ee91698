"""Where a rehearsal keeps the imported shop: one 0600 file in a 0700 directory.

The file holds what the sandbox serves (names, e-mails, addresses), never a secret column.
``purge`` removes the directory and everything in it.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.data.imported import ImportedShop

SHOP_FILE = "shop.json"


def save_rehearsal(
    shop: ImportedShop, directory: Path, sources: list[str], home_was_new: bool
) -> Path:
    """Write the shop, the names of the files it came from and whether the home was new."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)  # also when it existed with looser permissions
    path = directory / SHOP_FILE
    document = {
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": sources,
        "home_was_new": home_was_new,
        **shop.to_json(),
    }
    temporary = directory / f".{SHOP_FILE}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        json.dump(document, out, ensure_ascii=False)
    os.replace(temporary, path)
    return path


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The stored document, or None when no rehearsal was imported here."""
    path = directory / SHOP_FILE
    if not path.is_file():
        return None
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def load_rehearsal(directory: Path) -> ImportedShop | None:
    """The stored shop, or None when no rehearsal was imported here."""
    document = read_manifest(directory)
    return ImportedShop.from_json(document) if document is not None else None


def purge_rehearsal(directory: Path) -> bool:
    """Remove the rehearsal directory; False when there was none."""
    if not directory.exists():
        return False
    shutil.rmtree(directory)
    return True
