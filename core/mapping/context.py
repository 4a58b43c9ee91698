"""Everything a mapping needs besides the record: the profile and the collected configuration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from core.mapping.reference import PlentyReference, ShopReference
from core.profiles.settings import ProfileSettings, StoreMappingRow

IdentityField = Literal["externalId", "number"]
CONTACT_TYPE_CUSTOMER = 1
# Contact option types and sub-types of PlentyONE.
EMAIL_OPTION = (2, 4)
PHONE_OPTION = (1, 4)


@dataclass(frozen=True)
class MappingContext:
    settings: ProfileSettings
    plenty: PlentyReference
    shop: ShopReference
    namespace: str
    identity_field: IdentityField = "externalId"

    def store_row(self, store_id: int | None, website_id: int | None) -> StoreMappingRow | None:
        store = self.shop.effective_store(store_id, website_id)
        if store is None:
            return self.settings.store.row_for(-1)
        return self.settings.store.row_for(store)

    def website_of(self, store_id: int | None, website_id: int | None) -> int | None:
        if website_id is not None:
            return website_id
        return self.shop.website_of_store.get(store_id or 0)


def customer_key(customer_id: int) -> str:
    """The entity key of a registered customer inside its source."""
    return str(customer_id)


def guest_key(website_id: int, email: str) -> str:
    """The entity key of a guest buyer: website and a hash of the normalised e-mail.

    The hash keeps the e-mail out of keys, run items and PlentyONE identity fields.
    """
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:20]
    return f"{website_id}:{digest}"


def guest_website(key: str) -> int:
    """The Magento website a guest buyer's entity key (see ``guest_key``) belongs to."""
    return int(key.split(":", 1)[0])


def identity(namespace: str, entity_type: str, entity_key: str) -> str:
    """Our identity on a PlentyONE contact, e.g. ``shop-eu:c:42`` or ``shop-eu:g:1:9f3a...``."""
    kind = "c" if entity_type == "customer" else "g"
    return f"{namespace}:{kind}:{entity_key}"
