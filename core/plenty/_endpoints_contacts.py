"""Contacts: create, read, update, delete, list with filters, and exact lookups."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from core.emails import normalise_email
from core.plenty._models import Contact
from core.plenty._pagination import Page, iter_entries, iter_pages

if TYPE_CHECKING:
    from core.plenty._client import PlentyClient

CONTACTS = "/rest/accounts/contacts"
CONTACT = "/rest/accounts/contacts/{contactId}"
GUEST_CONVERT = "/rest/accounts/guests/convert"

DEFAULT_WITH = ("addresses", "options")
EMAIL_OPTION_TYPE = 2


def has_email(contact: Contact, email: str) -> bool:
    """True when the contact's e-mail, or one of its e-mail options, is exactly ``email``."""
    wanted = normalise_email(email)
    candidates = [contact.email or ""]
    candidates += [o.value for o in contact.options if o.typeId == EMAIL_OPTION_TYPE]
    return any(normalise_email(c) == wanted for c in candidates if c)


class Contacts:
    """``/rest/accounts/contacts``: the people PlentyONE knows."""

    def __init__(self, client: PlentyClient) -> None:
        self._client = client

    def create(self, payload: Mapping[str, Any]) -> Contact:
        """Create a contact; needs at least ``typeId`` and ``referrerId``.

        A timeout raises ``WriteTimeoutError`` and is never repeated: look the contact up.
        """
        return Contact.model_validate(self._client.request("POST", CONTACTS, json=dict(payload)))

    def get(self, contact_id: int, *, with_: Sequence[str] = DEFAULT_WITH) -> Contact:
        params = {"with": ",".join(with_)} if with_ else None
        body = self._client.request("GET", CONTACT, path={"contactId": contact_id}, params=params)
        return Contact.model_validate(body)

    def update(self, contact_id: int, payload: Mapping[str, Any]) -> Contact:
        """Change the fields in ``payload``; fields not sent stay as they are."""
        body = self._client.request(
            "PUT", CONTACT, path={"contactId": contact_id}, json=dict(payload)
        )
        return Contact.model_validate(body)

    def delete(self, contact_id: int, *, check_existing_orders: bool = True) -> None:
        """Delete a contact; by default PlentyONE refuses when the contact has orders."""
        self._client.request(
            "DELETE",
            CONTACT,
            path={"contactId": contact_id},
            params={"checkExistingOrders": check_existing_orders},
        )

    def pages(
        self,
        filters: Mapping[str, str | int | float | bool | None] | None = None,
        *,
        with_: Sequence[str] = DEFAULT_WITH,
        items_per_page: int | None = None,
    ) -> Iterator[Page[Contact]]:
        """The pages of contacts matching the list ``filters`` (e.g. ``{"plentyId": 12345}``)."""
        params = {**(filters or {}), **({"with": ",".join(with_)} if with_ else {})}
        return iter_pages(
            self._client, CONTACTS, Contact, params=params, items_per_page=items_per_page
        )

    def iterate(
        self,
        filters: Mapping[str, str | int | float | bool | None] | None = None,
        *,
        with_: Sequence[str] = DEFAULT_WITH,
        items_per_page: int | None = None,
    ) -> Iterator[Contact]:
        """Every contact matching ``filters``, fetched one page at a time."""
        params = {**(filters or {}), **({"with": ",".join(with_)} if with_ else {})}
        return iter_entries(
            self._client, CONTACTS, Contact, params=params, items_per_page=items_per_page
        )

    def find_by_external_id(self, external_id: str) -> list[Contact]:
        """Contacts whose ``externalId`` is exactly ``external_id``."""
        found = self.iterate({"externalId": external_id})
        return [c for c in found if (c.externalId or "") == external_id]

    def find_by_number(self, number: str) -> list[Contact]:
        """Contacts whose customer ``number`` is exactly ``number``."""
        return [c for c in self.iterate({"number": number}) if (c.number or "") == number]

    def find_by_identity(self, key: str) -> list[Contact]:
        """Contacts carrying our identity ``key`` in the configured identity field."""
        if self._client.config.identity_field == "number":
            return self.find_by_number(key)
        return self.find_by_external_id(key)

    def find_by_email(self, email: str, *, include_guests: bool = True) -> list[Contact]:
        """Contacts whose e-mail is exactly ``email`` (ignoring case and surrounding blanks).

        PlentyONE's ``contactEmail`` filter also returns look-alikes, so every hit is
        compared here; guests (single-access contacts) can be left out.
        """
        hits = self.iterate({"contactEmail": email.strip()})
        return [c for c in hits if has_email(c, email) and (include_guests or not c.is_guest)]

    def convert_guest(self, contact_id: int) -> Contact:
        """Turn a guest (single-access) contact into a regular customer."""
        body = self._client.request("POST", GUEST_CONVERT, params={"contactId": contact_id})
        return Contact.model_validate(body)
