"""The column sets of Magento's customer exports, and which columns hold secrets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

FileKind = Literal["customers", "addresses"]

# "Customers Main File": one row per customer account, keyed by e-mail and website code.
CUSTOMER_COLUMNS = frozenset(
    {
        "email",
        "_website",
        "_store",
        "created_at",
        "updated_at",
        "created_in",
        "disable_auto_group_change",
        "dob",
        "firstname",
        "gender",
        "group_id",
        "lastname",
        "middlename",
        "prefix",
        "store_id",
        "suffix",
        "taxvat",
        "website_id",
    }
)
# "Customer Addresses": one row per address, keyed by the owner's e-mail and website code.
ADDRESS_COLUMNS = frozenset(
    {
        "_website",
        "_email",
        "_entity_id",
        "city",
        "company",
        "country_id",
        "fax",
        "firstname",
        "lastname",
        "middlename",
        "postcode",
        "prefix",
        "region",
        "region_id",
        "street",
        "suffix",
        "telephone",
        "vat_id",
        "vat_is_valid",
        "vat_request_date",
        "vat_request_id",
        "vat_request_success",
        "_address_default_billing_",
        "_address_default_shipping_",
    }
)
CUSTOMER_KEY = ("email", "_website")
ADDRESS_KEY = ("_email", "_website")

# Never read: password hashes, reset and confirmation tokens, and the login lockout state.
SECRET_COLUMNS = frozenset(
    {
        "password",
        "password_hash",
        "rp_token",
        "rp_token_created_at",
        "confirmation",
        "failures_num",
        "first_failure",
        "lock_expires",
    }
)
# A custom column whose name has one of these in it is treated as a secret too.
_SECRET_WORDS = ("password", "passwd", "token", "secret", "hash", "api_key")


def is_secret(column: str) -> bool:
    """Whether a column is dropped unread: a known secret, or named like one."""
    name = column.strip().lower()
    return name in SECRET_COLUMNS or any(word in name for word in _SECRET_WORDS)


def file_kind(header: Sequence[str]) -> FileKind | None:
    """Which export a header belongs to, or None when it has neither key."""
    names = set(header)
    if set(CUSTOMER_KEY) <= names:
        return "customers"
    if set(ADDRESS_KEY) <= names:
        return "addresses"
    return None
