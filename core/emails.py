"""E-mail addresses as plentysync compares them: trimmed and case-folded.

Magento keeps e-mails as typed; guests and customers are matched on the normalised form,
so every comparison in plentysync goes through :func:`normalise_email`.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from core.errors import DataError

__all__ = ["is_valid_email", "normalise_email", "validated_email"]


def normalise_email(raw: str | None) -> str:
    """The comparison key of an e-mail address: surrounding blanks removed, case-folded.

    An absent address gives the empty string, which never matches a real one.
    """
    return (raw or "").strip().casefold()


def validated_email(raw: str | None) -> str:
    """The normalised address, or a ``DataError`` when it is not a valid address.

    Syntax only: no DNS lookup, because an export must not depend on the mail system. The
    error does not quote the address, because error messages end up in logs and run items.
    """
    key = normalise_email(raw)
    if not key:
        raise DataError("the e-mail address is empty")
    try:
        validate_email(key, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DataError("the e-mail address is not valid (fix it in the Magento record)") from exc
    return key


def is_valid_email(raw: str | None) -> bool:
    """Whether ``raw`` is a syntactically valid address once normalised."""
    try:
        validated_email(raw)
    except DataError:
        return False
    return True
