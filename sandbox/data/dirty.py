"""Deliberately broken records, so exporters prove they cope with real shops' data.

Which records are dirty, and how, is a pure function of (seed, index, share): tests ask
``dirty_kinds`` instead of guessing.
"""

from __future__ import annotations

import enum
from typing import Any

from sandbox.data.seeding import fraction, mix

_SALT = 0xD1127


class DirtyKind(enum.StrEnum):
    """One way a record can be broken."""

    EMPTY_STREET = "empty_street"
    UNKNOWN_COUNTRY = "unknown_country"
    OVERLONG_FIELDS = "overlong_fields"
    EMOJI = "emoji"
    MARKUP_IN_NAME = "markup_in_name"
    SHARED_EMAIL = "shared_email"  # the same e-mail as the previous customer, other website
    EMAIL_NOISE = "email_noise"  # surrounding whitespace and odd letter case


_KINDS = tuple(DirtyKind)
# Kinds that damage an address: a customer carrying one always gets at least one address.
ADDRESS_KINDS = frozenset(
    {DirtyKind.EMPTY_STREET, DirtyKind.UNKNOWN_COUNTRY, DirtyKind.OVERLONG_FIELDS}
)
UNKNOWN_COUNTRY_ID = "ZZ"
OVERLONG_LENGTH = 300


def dirty_kinds(seed: int, index: int, share: float) -> frozenset[DirtyKind]:
    """The ways customer ``index`` is broken; empty for the clean majority.

    About ``share`` of all customers are dirty; one in eight of those is broken in two ways.
    """
    kinds = _raw_kinds(seed, index, share)
    if DirtyKind.SHARED_EMAIL in kinds and not _may_share_email(seed, index, share):
        return (kinds - {DirtyKind.SHARED_EMAIL}) | {DirtyKind.EMAIL_NOISE}
    return kinds


def _may_share_email(seed: int, index: int, share: float) -> bool:
    # The partner is the previous customer; it must keep its own address to lend it, so
    # chains of shared e-mails never form.
    if index < 2:
        return False
    return DirtyKind.SHARED_EMAIL not in _raw_kinds(seed, index - 1, share)


def _raw_kinds(seed: int, index: int, share: float) -> frozenset[DirtyKind]:
    value = mix(seed, index, _SALT)
    if fraction(value) >= share:
        return frozenset()
    kinds = {_KINDS[(value >> 8) % len(_KINDS)]}
    if (value >> 16) % 8 == 0:
        kinds.add(_KINDS[(value >> 24) % len(_KINDS)])
    return frozenset(kinds)


def noisy_email(email: str, index: int) -> str:
    """The e-mail with whitespace around it and a mixed letter case."""
    mixed = "".join(c.upper() if (i + index) % 3 == 0 else c for i, c in enumerate(email))
    return f"  {mixed} "


def overlong(text: str) -> str:
    """``text`` repeated past any sane column width."""
    return (text + " ") * (OVERLONG_LENGTH // (len(text) + 1) + 1)


def spoil_customer(customer: dict[str, Any], kinds: frozenset[DirtyKind], index: int) -> None:
    """Apply the name and address damage of ``kinds`` to a generated customer, in place."""
    addresses: list[dict[str, Any]] = customer["addresses"]
    if DirtyKind.MARKUP_IN_NAME in kinds:
        customer["firstname"] = f"<b>{customer['firstname']}</b>"
        customer["lastname"] = f"{customer['lastname']}<script>alert(1)</script>"
    if DirtyKind.EMOJI in kinds:
        customer["firstname"] = f"{customer['firstname']} 😀"
        for address in addresses[:1]:
            address["city"] = f"{address['city']} 🏙️"
    if DirtyKind.OVERLONG_FIELDS in kinds:
        customer["lastname"] = overlong(customer["lastname"])
        for address in addresses[:1]:
            address["street"][0] = overlong(address["street"][0])
            address["company"] = overlong(address.get("company") or customer["lastname"][:20])
    if DirtyKind.EMPTY_STREET in kinds:
        for address in addresses[:1]:
            address["street"] = [""]
    if DirtyKind.UNKNOWN_COUNTRY in kinds:
        for address in addresses[:1]:
            address["country_id"] = UNKNOWN_COUNTRY_ID
    if DirtyKind.EMAIL_NOISE in kinds:
        customer["email"] = noisy_email(customer["email"], index)
