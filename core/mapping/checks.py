"""Data checks done with well-kept libraries: e-mail syntax and EU VAT ids."""

from __future__ import annotations

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from core.emails import validated_email

__all__ = ["checked_vat", "validated_email"]


def checked_vat(raw: str | None) -> tuple[str | None, str | None]:
    """``(compact VAT id, None)`` when valid, ``(None, reason)`` when given but invalid."""
    if not raw or not raw.strip():
        return None, None
    try:
        return eu_vat.validate(raw), None
    except StdnumError:
        return None, "the VAT id is not a valid EU VAT number and was not sent"
