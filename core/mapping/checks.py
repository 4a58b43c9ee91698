"""Data checks done with well-kept libraries: e-mail syntax and EU VAT ids."""

from __future__ import annotations

import re

from stdnum.ch import uid as ch_uid
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import clean

from core.emails import validated_email
from core.errors import DataError

__all__ = ["checked_text", "checked_vat", "validated_email"]


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


def checked_text(value: str | None, label: str, limit: int = TEXT_LIMIT) -> str | None:
    """``value`` trimmed; DataError naming ``label`` when it holds markup or is too long."""
    if value is None or not value.strip():
        return None
    text = " ".join(value.split())
    if _MARKUP.search(text):
        raise DataError(f"{label} contains HTML markup; fix it in Magento")
    if len(text) > limit:
        raise DataError(f"{label} is {len(text)} characters long, more than {limit}")
    return text
