"""Turning an export's bytes into text, and repairing text that was decoded twice.

* UTF-8, with or without a byte-order mark (Excel writes one): read as UTF-8, mark dropped.
* Anything that is not valid UTF-8 is a legacy Windows export (Excel's "CSV" on Windows):
  read as Windows-1252, falling back to Latin-1 for the five bytes Windows-1252 leaves
  undefined, and said so, because a wrong guess would change names.
* UTF-8 that was once read as Windows-1252 and saved again ("MÃ¼ller"): repaired cell by
  cell, with a warning naming the cell, because the merchant should fix it in the shop.
* A replacement character (U+FFFD) means a character was lost before the export: kept as it
  is, with a warning.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

LOST_CHARACTER = "\ufffd"


@dataclass(frozen=True)
class DecodedFile:
    text: str
    encoding: str  # "UTF-8", "UTF-8 with byte-order mark", "Windows-1252" or "Latin-1"


def decode_export(raw: bytes) -> DecodedFile:
    """The file's text and the encoding it was read with."""
    marked = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if marked else raw
    try:
        return DecodedFile(
            body.decode("utf-8"), "UTF-8 with byte-order mark" if marked else "UTF-8"
        )
    except UnicodeDecodeError:
        pass
    try:
        return DecodedFile(body.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return DecodedFile(body.decode("latin-1"), "Latin-1")


def repair_double_decoding(value: str) -> str | None:
    """The text as it was meant when ``value`` is UTF-8 read as Windows-1252, else None."""
    if value.isascii():
        return None
    current = value
    for _ in range(2):  # text saved twice through the wrong encoding is not rare either
        try:
            fixed = current.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            break
        if fixed == current:
            break
        current = fixed
    return current if current != value else None
