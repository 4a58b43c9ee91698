"""Data checks done with well-kept libraries: e-mail syntax and EU VAT ids."""

from __future__ import annotations

import re

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from core.emails import validated_email
from core.errors import DataError

__all__ = ["checked_text", "checked_vat", "validated_email"]


def checked_vat(raw: str | None) -> tuple[str | None, str | None]:
    """``(compact VAT id, None)`` when valid, ``(None, reason)`` when given but invalid."""
    if not raw or not raw.strip():
        return None, None
    try:
        return eu_vat.validate(raw), None
    except StdnumError:
        return None, "the VAT id is not a valid EU VAT number and was not sent"


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
