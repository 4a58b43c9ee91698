"""Addresses of contacts: create-and-link, update, list, relations and address options."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from core.errors import ValidationError
from core.plenty._models import Address, AddressContactRelation, AddressOption
from core.plenty._pagination import iter_entries, parse_page

if TYPE_CHECKING:
    from core.plenty._client import PlentyClient

CONTACT_ADDRESSES = "/rest/accounts/contacts/{contactId}/addresses"
CONTACT_ADDRESSES_OF_TYPE = "/rest/accounts/contacts/{contactId}/addresses/{addressTypeId}"
CONTACT_ADDRESS = "/rest/accounts/contacts/{contactId}/addresses/{addressId}"
RELATIONS = "/rest/accounts/addresses/contact_relations"
RELATION = "/rest/accounts/addresses/contact_relations/{addressContactRelationId}"
ADDRESS_OPTIONS = "/rest/accounts/addresses/{addressId}/options"
ADDRESS_OPTION = "/rest/accounts/addresses/options/{optionId}"

BILLING = 1
DELIVERY = 2


class Addresses:
    """A contact's addresses. PlentyONE re-uses an identical existing address on create."""

    def __init__(self, client: PlentyClient) -> None:
        self._client = client

    def create(
        self,
        contact_id: int,
        payload: Mapping[str, Any],
        *,
        type_id: int,
        is_primary: bool | None = None,
    ) -> Address:
        """Create an address and link it to the contact as ``type_id`` (1 billing, 2 delivery)."""
        body = self._client.request(
            "POST",
            CONTACT_ADDRESSES,
            path={"contactId": contact_id},
            params={"typeId": type_id, "isPrimary": is_primary},
            json={**payload, "typeId": type_id},
        )
        return Address.model_validate(body)

    def update(
        self,
        contact_id: int,
        address_id: int,
        payload: Mapping[str, Any],
        *,
        type_id: int | None = None,
        is_primary: bool | None = None,
    ) -> Address:
        body = self._client.request(
            "PUT",
            CONTACT_ADDRESS,
            path={"contactId": contact_id, "addressId": address_id},
            params={"typeId": type_id, "isPrimary": is_primary},
            json=dict(payload),
        )
        return Address.model_validate(body)

    def of_contact(self, contact_id: int, *, type_id: int | None = None) -> list[Address]:
        """The contact's addresses (all, or of one relation type), with their options."""
        if type_id is None:
            body = self._client.request("GET", CONTACT_ADDRESSES, path={"contactId": contact_id})
        else:
            body = self._client.request(
                "GET",
                CONTACT_ADDRESSES_OF_TYPE,
                path={"contactId": contact_id, "addressTypeId": type_id},
            )
        return parse_page(body, Address).entries

    def unlink(self, contact_id: int, address_id: int, *, type_id: int) -> None:
        """Remove the contact's ``type_id`` link to the address; the address itself stays."""
        self._client.request(
            "DELETE",
            CONTACT_ADDRESS,
            path={"contactId": contact_id, "addressId": address_id},
            params={"typeId": type_id},
        )

    def relations(
        self, contact_id: int, *, type_id: int | None = None
    ) -> Iterator[AddressContactRelation]:
        """The contact's address links (type and primary flag), page by page."""
        params = {"contactId": contact_id, "typeId": type_id}
        return iter_entries(self._client, RELATIONS, AddressContactRelation, params=params)

    def write_relations(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        landed: Callable[[list[AddressContactRelation]], None] | None = None,
    ) -> list[Mapping[str, Any]]:
        """Create relations ``{contactId, addressId, typeId, isPrimary}`` in array calls.

        Each answer is handed to ``landed`` as soon as it is in. On a 422 the array is sent
        again in two halves, down to single items; the items refused alone are returned.
        A timeout or server error is raised as it comes: what landed before was handed on.
        """
        refused: list[Mapping[str, Any]] = []
        pending = [list(items)] if items else []
        while pending:
            chunk = pending.pop(0)
            try:
                body = self._client.request("POST", RELATIONS, json=[dict(i) for i in chunk])
            except ValidationError:
                if len(chunk) == 1:
                    refused += chunk
                    continue
                half = len(chunk) // 2
                pending[:0] = [chunk[:half], chunk[half:]]
                continue
            answer = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
            written = [AddressContactRelation.model_validate(r) for r in answer]
            if landed is not None:
                landed(written)
        return refused

    def delete_relation(self, relation_id: int) -> None:
        """Delete one address link by its relation id; the address itself stays."""
        self._client.request("DELETE", RELATION, path={"addressContactRelationId": relation_id})

    def options(self, address_id: int) -> list[AddressOption]:
        body = self._client.request("GET", ADDRESS_OPTIONS, path={"addressId": address_id})
        return parse_page(body, AddressOption).entries

    def add_options(
        self, address_id: int, options: Sequence[Mapping[str, Any]]
    ) -> list[AddressOption]:
        """Add options (``{"typeId": 2, "value": "..."}``) to an address."""
        body = self._client.request(
            "POST", ADDRESS_OPTIONS, path={"addressId": address_id}, json=[dict(o) for o in options]
        )
        if isinstance(body, dict):
            return [AddressOption.model_validate(body)]
        return parse_page(body, AddressOption).entries

    def update_option(self, option_id: int, payload: Mapping[str, Any]) -> AddressOption:
        body = self._client.request(
            "PUT", ADDRESS_OPTION, path={"optionId": option_id}, json=dict(payload)
        )
        return AddressOption.model_validate(body)

    def delete_option(self, option_id: int) -> None:
        self._client.request("DELETE", ADDRESS_OPTION, path={"optionId": option_id})
