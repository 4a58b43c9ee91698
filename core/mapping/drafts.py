"""What the mapping produces: payload drafts with field ownership, and their fingerprints.

A draft holds every value plentysync generates for one PlentyONE record, split by owner:

* ``create_only`` - sent when the record is created, never again (type, referrer, plentyId,
  our identity);
* ``managed`` - sent on create, and later only when our generated value changed since we last
  sent it, so an edit made by ERP staff survives an unrelated change in Magento.

Fingerprints are short hashes per field: the link rows keep them instead of the values, so the
database holds no second copy of personal data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


def fingerprint(value: Any) -> str:
    """A short, stable hash of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def option_key(option: dict[str, Any]) -> str:
    """``option:<typeId>/<subTypeId>`` for contact options, ``option:<typeId>`` for address ones."""
    sub = option.get("subTypeId")
    return f"option:{option['typeId']}" + (f"/{sub}" if sub is not None else "")


@dataclass
class Draft:
    """Generated values of one record, by owner, plus the problems found on the way."""

    create_only: dict[str, Any] = field(default_factory=dict)
    managed: dict[str, Any] = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def create_payload(self) -> dict[str, Any]:
        payload = {**self.create_only, **self.managed}
        if self.options:
            payload["options"] = [dict(o) for o in self.options]
        return payload

    def fingerprints(self) -> dict[str, str]:
        """Per-field hashes of the managed values (options each under their own key)."""
        prints = {name: fingerprint(value) for name, value in self.managed.items()}
        prints.update({option_key(o): fingerprint(o["value"]) for o in self.options})
        return prints

    def changes(self, sent: dict[str, str]) -> list[str]:
        """Names of managed fields and options whose value differs from what we last sent."""
        return sorted(k for k, v in self.fingerprints().items() if sent.get(k) != v)

    def update_payload(self, sent: dict[str, str]) -> dict[str, Any]:
        """Only what changed since ``sent``; all our options when any of them changed.

        Options go together because PlentyONE may replace a contact's options of the types sent.
        """
        changed = set(self.changes(sent))
        payload = {k: v for k, v in self.managed.items() if k in changed}
        if any(key.startswith("option:") for key in changed) and self.options:
            payload["options"] = [dict(o) for o in self.options]
        return payload


@dataclass
class ContactDraft(Draft):
    """A contact for one customer or guest."""

    identity: str = ""
    email: str = ""
    is_company: bool = False


@dataclass
class AddressDraft(Draft):
    """One Magento address in one relation: ``type_id`` 1 billing, 2 delivery."""

    address_key: str = ""
    type_id: int = 2
    is_primary: bool = False

    def content_fingerprint(self) -> str:
        return fingerprint(
            [self.managed, sorted((option_key(o), o["value"]) for o in self.options)]
        )


@dataclass
class AccountDraft(Draft):
    """A B2B company account, shared by every colleague with the same key."""

    account_key: str = ""
