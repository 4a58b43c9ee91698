"""Export rows as Magento's REST JSON: pure functions, a ValueError names what is wrong.

Each parser returns the value to store, or raises ``FieldError`` with the column and the
reason; the importer turns that into a per-row problem and leaves the row out.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sandbox.data.stores import GENDER_LABELS, REGIONS

_GENDERS = {label.casefold(): value for value, label in GENDER_LABELS.items()}
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%d.%m.%Y")
_TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CUSTOMER_TEXT = ("firstname", "middlename", "lastname", "prefix", "suffix", "taxvat", "created_in")
_ADDRESS_TEXT = (
    "firstname",
    "middlename",
    "lastname",
    "prefix",
    "suffix",
    "company",
    "city",
    "postcode",
    "country_id",
    "telephone",
    "fax",
    "vat_id",
)


class FieldError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def integer(values: dict[str, str], column: str) -> int | None:
    raw = values.get(column, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise FieldError(column, f"{raw!r} is not a whole number") from None


def flag(values: dict[str, str], column: str) -> bool:
    raw = values.get(column, "").strip()
    if raw not in ("", "0", "1"):
        raise FieldError(column, f"{raw!r} is not 0 or 1")
    return raw == "1"


def gender(values: dict[str, str]) -> int | None:
    raw = values.get("gender", "").strip()
    if not raw:
        return None
    if raw.isdigit() and int(raw) in (0, *GENDER_LABELS):
        return int(raw)
    if raw.casefold() in _GENDERS:
        return _GENDERS[raw.casefold()]
    allowed = ", ".join(GENDER_LABELS.values())
    raise FieldError("gender", f"{raw!r} is not one of {allowed} (or 0-3)")


def _moment(raw: str, formats: tuple[str, ...]) -> datetime | None:
    for pattern in formats:
        try:
            return datetime.strptime(raw, pattern)
        except ValueError:
            continue
    return None


def birth_date(values: dict[str, str]) -> str | None:
    raw = values.get("dob", "").strip()
    if not raw:
        return None
    found = _moment(raw, _DATE_FORMATS)
    if found is None:
        raise FieldError("dob", f"{raw!r} is not a date (YYYY-MM-DD)")
    return found.date().isoformat()


def timestamp(values: dict[str, str], column: str) -> str | None:
    raw = values.get(column, "").strip()
    if not raw:
        return None
    found = _moment(raw, _TIMESTAMP_FORMATS)
    if found is None:
        raise FieldError(column, f"{raw!r} is not a date and time (YYYY-MM-DD HH:MM:SS)")
    return found.strftime("%Y-%m-%d %H:%M:%S")


def street_lines(raw: str) -> list[str]:
    """A multi-line street cell as Magento's list of lines (blank lines dropped)."""
    return [line.strip() for line in _LINE_BREAK.split(raw) if line.strip()]


def region(values: dict[str, str], country_id: str | None) -> dict[str, Any]:
    """Magento's region object; the code is filled in where the region's name is known."""
    name = values.get("region", "").strip() or None
    region_id = integer(values, "region_id") or 0
    code = None
    for known_id, known_code, known_name in REGIONS.get(country_id or "", ()):
        if name and name.casefold() in (known_name.casefold(), known_code.casefold()):
            code, name, region_id = known_code, known_name, region_id or known_id
    return {"region_code": code, "region": name, "region_id": region_id}


def customer_record(values: dict[str, str], customer_id: int) -> dict[str, Any]:
    """The typed fields of a main-file row (scope, addresses and ids are added by the caller)."""
    group_id = integer(values, "group_id")
    if group_id is None:
        raise FieldError("group_id", "empty: every customer belongs to a group")
    created_at = timestamp(values, "created_at")
    if created_at is None:
        raise FieldError("created_at", "empty: Magento always exports the creation time")
    record: dict[str, Any] = {
        "id": customer_id,
        "group_id": group_id,
        "created_at": created_at,
        "updated_at": timestamp(values, "updated_at") or created_at,
        "email": values["email"].strip(),
    }
    for column in _CUSTOMER_TEXT:
        if values.get(column, "").strip():
            record[column] = values[column].strip()
    dob = birth_date(values)
    if dob:
        record["dob"] = dob
    found_gender = gender(values)
    if found_gender is not None:
        record["gender"] = found_gender
    record["disable_auto_group_change"] = int(flag(values, "disable_auto_group_change"))
    return record


def address_record(values: dict[str, str], address_id: int, customer_id: int) -> dict[str, Any]:
    """An address row as Magento's customer address (without the default flags)."""
    country_id = values.get("country_id", "").strip() or None
    found_region = region(values, country_id)
    integer(values, "_entity_id")  # refused when it is not a number: the row is not an export's
    address: dict[str, Any] = {
        "id": address_id,
        "customer_id": customer_id,
        "region": found_region,
        "region_id": found_region["region_id"],
        "street": street_lines(values.get("street", "")),
    }
    for column in _ADDRESS_TEXT:
        if values.get(column, "").strip():
            address[column] = values[column].strip()
    return address
