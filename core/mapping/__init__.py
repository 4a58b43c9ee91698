"""Pure mapping: Magento records + profile + collected configuration -> PlentyONE drafts.

Nothing here performs I/O; the pipeline hands in the records and the context and sends what
comes out.
"""

from core.export.identity import customer_key, guest_key, guest_website, identity
from core.mapping.account import account_key, map_account
from core.mapping.address import (
    BILLING,
    DELIVERY,
    customer_addresses,
    guest_addresses,
    order_address_key,
)
from core.mapping.contact import map_customer, map_guest, skip_reason
from core.mapping.context import MappingContext
from core.mapping.drafts import AccountDraft, AddressDraft, ContactDraft, Draft, fingerprint
from core.mapping.reference import PlentyReference, ShopReference

__all__ = [
    "BILLING",
    "DELIVERY",
    "AccountDraft",
    "AddressDraft",
    "ContactDraft",
    "Draft",
    "MappingContext",
    "PlentyReference",
    "ShopReference",
    "account_key",
    "customer_addresses",
    "customer_key",
    "fingerprint",
    "guest_addresses",
    "guest_key",
    "guest_website",
    "identity",
    "map_account",
    "map_customer",
    "map_guest",
    "order_address_key",
    "skip_reason",
]
