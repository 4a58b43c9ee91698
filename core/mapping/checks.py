"""Local checks before anything is sent: text fields, birthdays, e-mail syntax, EU VAT ids.

E-mails and VAT ids are checked with well-kept libraries; text and dates here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from stdnum.ch import uid as ch_uid
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import clean

from core.emails import validated_email
from core.errors import RecordError

__all__ = ["checked_birthday", "checked_text", "checked_vat", "validated_email"]


def checked_vat(raw: str | None, country: str | None = None) -> tuple[str | None, str | None]:
    """``(compact VAT id, None)`` when valid, ``(None, reason)`` when given but invalid.

    ``country`` is the ISO code of the address the number came with, when known. Switzerland
    is not in the EU VAT area: a Swiss UID (``CHE...``, or nine bare digits on a CH address)
    is checked by the Swiss rule, not refused as not EU.
    """
    if not raw or not raw.strip():
        return None, None
    compact = clean(raw, " -./,").upper()
    if compact.startswith("CHE") or ((country or "").upper() == "CH" and compact[:1].isdigit()):
        try:
            return _swiss_vat(raw, compact), None
        except StdnumError:
            return None, "the VAT id is not a valid Swiss UID (CHE-123.456.789) and was not sent"
    try:
        return eu_vat.validate(raw), None
    except StdnumError:
        return None, "the VAT id is not a valid EU VAT number and was not sent"


def _swiss_vat(raw: str, compact: str) -> str:
    """The compact Swiss number, with its MWST / TVA / IVA suffix when one was written."""
    if len(compact) > len("CHE") + 9:
        return str(ch_vat.validate(raw))
    return str(ch_uid.validate(raw))


# PlentyONE does not document its column widths; 255 characters is the common width of its
# text fields and what we hold names, streets and towns to.
TEXT_LIMIT = 255
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can make a name read
# differently from what it holds; they are removed. The marks U+200E and U+200F stay: Hebrew
# and Arabic names need them to show punctuation and digits in the right place.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Line breaks and tabs are line separators in street lines; elsewhere they are errors.
LINE_BREAKS = frozenset("\t\n\r")


def _bad_character(text: str, allowed: frozenset[str]) -> str | None:
    # Cc: C0 controls (NUL included), DEL and C1 controls; Cs: a lone surrogate, which no
    # UTF-8 request can carry.
    for char in text:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cs"):
            return f"U+{ord(char):04X}"
    return None


def checked_text(
    value: str | None,
    label: str,
    limit: int = TEXT_LIMIT,
    *,
    field: str | None = None,
    warnings: list[str] | None = None,
    allowed: frozenset[str] = frozenset(),
) -> str | None:
    """``value`` trimmed, or None when blank; ``RecordError`` naming ``label`` when unusable.

    Unusable: a control character (tabs and line breaks too, unless ``allowed``), HTML
    markup, more than ``limit`` characters. Bidi controls are removed, with a warning in
    ``warnings`` when given.
    """
    if value is None:
        return None
    name = field or label
    label = f"{label} ({field})" if field else label
    bad = _bad_character(value, allowed)
    if bad:
        raise RecordError(f"{label} contains the control character {bad}", field=name, value=value)
    if _BIDI_CONTROLS.search(value):
        value = _BIDI_CONTROLS.sub("", value)
        if warnings is not None:
            warnings.append(f"{label}: bidi override characters were removed")
    if not value.strip():
        return None
    text = " ".join(value.split())
    if _MARKUP.search(text):
        raise RecordError(
            f"{label} contains HTML markup; fix it in Magento", field=name, value=value
        )
    if len(text) > limit:
        raise RecordError(
            f"{label} is {len(text)} characters long, more than {limit}", field=name, value=value
        )
    return text


# A birth year before this is a typo or a placeholder, not a customer's birthday.
_OLDEST_BIRTH_YEAR = 1900


def checked_birthday(raw: str | None, field: str, today: dt.date) -> str | None:
    """The ``YYYY-MM-DD`` of a Magento date of birth, None when absent; ``RecordError`` if invalid.

    Invalid: not a calendar date, before 1900, or after ``today``.
    """
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        day = dt.date.fromisoformat(text[:10])
        if text[10:] and text[10] not in " T":
            raise ValueError(text)
    except ValueError as exc:
        raise RecordError(
            f"the date of birth ({field}) is not a valid date", field=field, value=raw
        ) from exc
    if day.year < _OLDEST_BIRTH_YEAR or day > today:
        raise RecordError(
            f"the date of birth ({field}) {day.isoformat()} is not plausible (before "
            f"{_OLDEST_BIRTH_YEAR} or in the future)",
            field=field,
            value=raw,
        )
    return day.isoformat()
