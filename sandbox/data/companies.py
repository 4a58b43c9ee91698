"""Company names and EU VAT ids whose check digits are valid (python-stdnum computes them)."""

from __future__ import annotations

import random

from faker import Faker
from stdnum import luhn
from stdnum.at import uid as at_uid
from stdnum.iso7064 import mod_11_10

# Countries we can issue a well-formed VAT id for, mapped to their VAT prefix.
VAT_COUNTRIES: dict[str, str] = {"DE": "DE", "AT": "AT", "FR": "FR", "BE": "BE", "PL": "PL"}


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(count - 1))


def _german(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return "DE" + body + mod_11_10.calc_check_digit(body)


def _austrian(rng: random.Random) -> str:
    body = "U" + _digits(rng, 7)
    return "AT" + body + at_uid.calc_check_digit(body)


def _french(rng: random.Random) -> str:
    body = _digits(rng, 8)
    siren = body + luhn.calc_check_digit(body)
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _belgian(rng: random.Random) -> str:
    body = "0" + _digits(rng, 7)
    return f"BE{body}{97 - int(body) % 97:02d}"


def _polish(rng: random.Random) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        body = _digits(rng, 9)
        check = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:  # 10 is not a digit: such a body is never issued
            return f"PL{body}{check}"


_ISSUERS = {"DE": _german, "AT": _austrian, "FR": _french, "BE": _belgian, "PL": _polish}


def vat_id(country_id: str, rng: random.Random) -> str | None:
    """A VAT id with valid check digits for ``country_id``, or None outside our issuers."""
    issuer = _ISSUERS.get(country_id)
    return issuer(rng) if issuer else None


def company_name(fake: Faker) -> str:
    """A company name in the locale of ``fake`` (e.g. "Schmidt GmbH", "Dupont SARL")."""
    return str(fake.company())
