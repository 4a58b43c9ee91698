"""Accounts (companies) and their links to contacts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from core.plenty._models import Account, AccountContactRelation
from core.plenty._pagination import iter_entries

if TYPE_CHECKING:
    from core.plenty._client import PlentyClient

ACCOUNTS = "/rest/accounts"
ACCOUNT = "/rest/accounts/{accountId}"
CONTACT_ACCOUNTS = "/rest/accounts/contacts/{contactId}/accounts"
CONTACT_RELATIONS = "/rest/accounts/contact_relations"
CONTACT_RELATION = "/rest/accounts/contact_relations/{accountContactRelationId}"


class Accounts:
    """``/rest/accounts``: companies; a contact belongs to an account through a relation."""

    def __init__(self, client: PlentyClient) -> None:
        self._client = client

    def create(self, payload: Mapping[str, Any]) -> Account:
        """Create an account; ``companyName`` is required."""
        return Account.model_validate(self._client.request("POST", ACCOUNTS, json=dict(payload)))

    def get(self, account_id: int) -> Account:
        body = self._client.request("GET", ACCOUNT, path={"accountId": account_id})
        return Account.model_validate(body)

    def update(self, account_id: int, payload: Mapping[str, Any]) -> Account:
        body = self._client.request(
            "PUT", ACCOUNT, path={"accountId": account_id}, json=dict(payload)
        )
        return Account.model_validate(body)

    def iterate(
        self, filters: Mapping[str, str | int | float | bool | None] | None = None
    ) -> Iterator[Account]:
        """Accounts matching ``filters`` (e.g. ``{"companyName": "eq:ACME GmbH"}``), paged."""
        return iter_entries(self._client, ACCOUNTS, Account, params=filters)

    def create_for_contact(self, contact_id: int, payload: Mapping[str, Any]) -> Account:
        """Create an account and link the contact to it in one call."""
        body = self._client.request(
            "POST", CONTACT_ACCOUNTS, path={"contactId": contact_id}, json=dict(payload)
        )
        return Account.model_validate(body)

    def link_contact(self, account_id: int, contact_id: int) -> AccountContactRelation:
        """Link an existing contact to an existing account."""
        body = self._client.request(
            "POST", CONTACT_RELATIONS, params={"accountId": account_id, "contactId": contact_id}
        )
        return AccountContactRelation.model_validate(body)

    def unlink_contact(self, relation_id: int) -> None:
        self._client.request(
            "DELETE", CONTACT_RELATION, path={"accountContactRelationId": relation_id}
        )
