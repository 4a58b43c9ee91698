"""An emulator of Magento 2's REST API for customers, groups, stores and orders.

Create and serve it::

    from sandbox.magento import MagentoSandboxConfig, create_app
    from sandbox.server import serve_in_thread

    app = create_app(MagentoSandboxConfig(customers=1000, seed=1, orders=500))
    with serve_in_thread(app) as server:   # server.base_url = "http://127.0.0.1:<port>"
        ...                               # GET {base_url}/rest/V1/customers/search?...

The data come from ``sandbox.data.Dataset`` (customer ids 1..customers, orders 1..orders,
pure functions of the seed); ``app.state.sandbox.dataset`` is that dataset, so a test can
name what it expects: ``Dataset(DatasetConfig(customers=N, seed=S)).customer(7)``.
``create_app(imported=shop)`` serves an ``ImportedShop`` instead (a rehearsal on the shop's own
CSV exports, read by ``sandbox.rehearsal``): its customers, websites, store views and groups,
and no orders.

Credentials (``MagentoSandboxConfig`` defaults, loopback only):

* integration bearer token ``sandbox-integration-token`` (``integration_token``), honoured
  while ``integration_as_bearer`` is True (default; False emulates a stock 2.4.4+ shop);
* OAuth 1.0a (HMAC-SHA256 or -SHA1, signature in the Authorization header): consumer key
  ``sandboxconsumerkey00000000000001`` / secret ``sandboxconsumersecret0000000001``, access
  token ``sandboxaccesstoken0000000000001`` / secret ``sandboxaccesssecret00000000001``;
* ``POST /rest/V1/integration/admin/token`` with ``admin`` / ``sandbox-admin-123`` returns a
  bearer token valid 4 hours; ``admin_2fa=True`` refuses it with Magento's 2FA message (400).

Routes under ``/rest/V1``, ``/rest/<store code>/V1`` and ``/rest/all/V1`` (store codes:
default, en_au, de, de_ch, fr, fr_ca; any other code is Magento's 404 route miss):
``customers/search``, ``customers/{id}``, ``customerGroups/search|default|{id}``,
``attributeMetadata/customer/attribute/gender``, ``attributeMetadata/customerAddress``
(and ``/custom``), ``store/storeViews|storeGroups|websites|
storeConfigs``, ``orders``, ``orders/{id}``. Searches take the full ``searchCriteria``
syntax and ``fields``. Paging past the end answers empty ``items`` (2.4) or, with
``past_end="repeat_last"``, the last page again (2.3); ``input_limits=True`` caps
``pageSize`` at ``max_page_size`` (300) and defaults it to ``default_page_size`` (20).

Test controls (no auth): ``POST /_sandbox/reset``; ``GET|POST /_sandbox/config`` (JSON with
any of past_end, input_limits, max_page_size, default_page_size, integration_as_bearer,
admin_2fa, faults{latency_ms, jitter_ms, error_rate, throttle_rate, throttle_status,
retry_after_seconds, seed}); ``GET /_sandbox/stats`` (calls by route and status);
``POST /_sandbox/mutate`` ``{"count": K}`` or ``{"ids": [...], "kinds": ["address", "name",
"group"]}``; ``DELETE /_sandbox/customers/{id}``; ``GET /_sandbox/dirty?first=&last=``;
``PATCH /_sandbox/customers/{id}`` and ``PATCH /_sandbox/orders/{id}`` with a JSON object of
raw fields set as given (``{"addresses": null, "firstname": 42}``), for records no generator
makes; ``updated_at`` moves on, so change scans see them. ``POST /_sandbox/crafted``
``{"kinds": [...], "first": N}`` (all kinds of ``sandbox.data.CRAFTED`` when none are named)
breaks one clean customer per kind and answers which field a refusal must name.
"""

from sandbox.magento.app import create_app
from sandbox.magento.config import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_ACCESS_TOKEN_SECRET,
    DEFAULT_ADMIN_PASSWORD,
    DEFAULT_ADMIN_USERNAME,
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    DEFAULT_INTEGRATION_TOKEN,
    FaultConfig,
    MagentoSandboxConfig,
)

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_ACCESS_TOKEN_SECRET",
    "DEFAULT_ADMIN_PASSWORD",
    "DEFAULT_ADMIN_USERNAME",
    "DEFAULT_CONSUMER_KEY",
    "DEFAULT_CONSUMER_SECRET",
    "DEFAULT_INTEGRATION_TOKEN",
    "FaultConfig",
    "MagentoSandboxConfig",
    "create_app",
]
