"""Reading customers and guest buyers from a Magento 2 shop's REST API.

Start with a :class:`MagentoConfig` and a :class:`MagentoSource`::

    source = MagentoSource(MagentoConfig(base_url, OAuth1(...)))
    for ids in source.customers.iter_ids():
        records = source.customers.read(ids)   # Customer or UnreadableRecord, one per record
"""

from core.magento._config import (
    MAX_PAGE_SIZE,
    AdminLogin,
    AuthMode,
    Credentials,
    IntegrationBearer,
    MagentoConfig,
    OAuth1,
)
from core.magento._cursor import ChangePage, UpdatedCursor
from core.magento._models import (
    Address,
    CustomAttribute,
    Customer,
    CustomerChange,
    Group,
    GuestBuyer,
    OrderAddress,
    Region,
    StoreGroup,
    StoreView,
    Website,
)
from core.magento._records import UnreadableRecord
from core.magento._source import MagentoSource
from core.magento._throttle import SourceGate
from core.magento._time_scan import TimePosition

__all__ = [
    "MAX_PAGE_SIZE",
    "Address",
    "AdminLogin",
    "AuthMode",
    "ChangePage",
    "Credentials",
    "CustomAttribute",
    "Customer",
    "CustomerChange",
    "Group",
    "GuestBuyer",
    "IntegrationBearer",
    "MagentoConfig",
    "MagentoSource",
    "OAuth1",
    "OrderAddress",
    "Region",
    "SourceGate",
    "StoreGroup",
    "StoreView",
    "TimePosition",
    "UnreadableRecord",
    "UpdatedCursor",
    "Website",
]
