"""Everything a mapping needs besides the record: the profile and the collected configuration."""

from __future__ import annotations

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
