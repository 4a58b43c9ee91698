"""The PlentyONE REST client: shared login, rate-limit governor, retries, typed endpoints.

Build a ``PlentyConfig``, hand it to ``PlentyClient`` with a ``TokenStore`` and a
``BudgetBackend`` shared by every process of the user (``DatabaseTokenStore`` and
``DatabaseBudgetBackend`` on a single host; Redis ones come from ``worker``), then call the
endpoint groups ``client.contacts``, ``client.addresses``, ``client.accounts`` and
``client.reference``. Errors are the classes of ``core.errors``.
"""

from core.plenty._budget_backends import (
    BudgetBackend,
    BudgetState,
    DatabaseBudgetBackend,
    MemoryBudgetBackend,
    PublishedMemoryBudget,
    Reservation,
    SlotRequest,
    plan_reservation,
)
from core.plenty._client import CallCounts, PlentyClient
from core.plenty._clock import Clock, SystemClock
from core.plenty._config import PLAN_BUDGETS, Budget, PlentyConfig, RetryPolicy, Timeouts
from core.plenty._endpoints_addresses import BILLING, DELIVERY
from core.plenty._endpoints_contacts import has_email
from core.plenty._endpoints_reference import LANGUAGES
from core.plenty._governor import Governor, kind_of
from core.plenty._logging import (
    ExchangeHook,
    ExchangeRecord,
    clean_text,
    mask_personal_data,
    mask_text,
    redact_secrets,
)
from core.plenty._long_period import LongPeriodNotes, LongPeriodSeen, load_long_period
from core.plenty._models import (
    Account,
    AccountContactRelation,
    Address,
    AddressContactRelation,
    AddressOption,
    Contact,
    ContactClass,
    ContactOption,
    Country,
    CountryState,
    NamedType,
    PageInfo,
    Referrer,
    Webstore,
)
from core.plenty._pagination import Page
from core.plenty._tokens import DatabaseTokenStore, MemoryTokenStore, StoredToken, TokenStore

__all__ = [
    "BILLING",
    "DELIVERY",
    "LANGUAGES",
    "PLAN_BUDGETS",
    "Account",
    "AccountContactRelation",
    "Address",
    "AddressContactRelation",
    "AddressOption",
    "Budget",
    "BudgetBackend",
    "BudgetState",
    "CallCounts",
    "Clock",
    "Contact",
    "ContactClass",
    "ContactOption",
    "Country",
    "CountryState",
    "DatabaseBudgetBackend",
    "DatabaseTokenStore",
    "ExchangeHook",
    "ExchangeRecord",
    "Governor",
    "LongPeriodNotes",
    "LongPeriodSeen",
    "MemoryBudgetBackend",
    "MemoryTokenStore",
    "NamedType",
    "Page",
    "PageInfo",
    "PlentyClient",
    "PlentyConfig",
    "PublishedMemoryBudget",
    "Referrer",
    "Reservation",
    "RetryPolicy",
    "SlotRequest",
    "StoredToken",
    "SystemClock",
    "Timeouts",
    "TokenStore",
    "Webstore",
    "clean_text",
    "has_email",
    "kind_of",
    "load_long_period",
    "mask_personal_data",
    "mask_text",
    "plan_reservation",
    "redact_secrets",
]
