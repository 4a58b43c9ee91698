"""One Magento shop as a source of customers and guest buyers."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from core.magento._config import MagentoConfig
from core.magento._customers import CustomerReader
from core.magento._guests import GuestReader
from core.magento._http import MagentoHttp
from core.magento._stores import StoreReader
from core.magento._throttle import SourceGate


class MagentoSource:
    """A read-only client of one shop's REST API, within that shop's limits.

    ``customers`` reads registered customers, ``stores`` the reference data (groups,
    websites, store views, gender labels) and ``guests`` guest buyers from orders.
    ``transport`` is the test seam; ``gate`` and ``sleep`` default to the process-wide
    gate of this source and real sleeping.
    """

    def __init__(
        self,
        config: MagentoConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        gate: SourceGate | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.http = MagentoHttp(config, transport=transport, gate=gate, sleep=sleep)
        self.customers = CustomerReader(self.http)
        self.stores = StoreReader(self.http)
        self.guests = GuestReader(self.http, self.stores)

    @property
    def calls(self) -> int:
        """How many HTTP requests this client sent (retries included)."""
        return self.http.calls

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> MagentoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
