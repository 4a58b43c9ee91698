"""Street lines: where the house number goes, and where extra lines go."""

from __future__ import annotations

import re

# Countries whose addresses write the house number after the street name, and whose
# PlentyONE users expect it in its own field (address2).
SPLIT_COUNTRIES = frozenset({"DE", "AT", "NL", "BE", "LU", "CH", "DK", "PL", "CZ", "SK", "SI"})

_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:\s?[-/]\s?\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?)?"
_STREET_THEN_NUMBER = re.compile(rf"^(?P<street>\D*[^\W\d_][^\d]*?)[\s,]+(?P<number>{_NUMBER})$")


def split_house_number(line: str, country: str | None) -> tuple[str, str]:
    """``("Hauptstr. 12a", "DE")`` -> ``("Hauptstr.", "12a")``.

    Only for countries that keep the number apart, and only when the line is unambiguous:
    letters first, one trailing number (with an optional letter or range). Anything else is
    returned untouched with an empty house number, so nothing is lost or garbled.
    """
    text = " ".join(line.split())
    if (country or "").upper() not in SPLIT_COUNTRIES:
        return text, ""
    match = _STREET_THEN_NUMBER.match(text)
    if not match:
        return text, ""
    street = match.group("street").strip().rstrip(",")
    return street, match.group("number").replace(" ", "")
