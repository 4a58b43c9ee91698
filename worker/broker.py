"""Which broker carries the workers' messages: Redis in production, in memory on one host.

``PLENTYSYNC_REDIS_URL`` set: a ``RedisBroker`` whose keys start with the worker namespace,
shared by every worker process on every host. Unset: a ``StubBroker``, worked by the one
in-process ``dramatiq.Worker`` that ``plentysync serve`` starts.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from core.settings import get_settings
from worker.settings import get_worker_settings

# Bulk runs and live traffic are consumed from separate queues, so a customer who just
# registered is not stuck behind the batches of an initial export.
BULK = "bulk"
LIVE = "live"

_configured: dramatiq.Broker | None = None


def make_broker(redis_url: str | None = None) -> dramatiq.Broker:
    """A new broker for ``redis_url`` (default: the configured one; none means in memory)."""
    url = redis_url if redis_url is not None else get_settings().redis_url
    if url:
        namespace = f"{get_worker_settings().redis_namespace}:dramatiq"
        return RedisBroker(url=url, namespace=namespace)
    return StubBroker()


def setup_broker() -> dramatiq.Broker:
    """The process's broker, made once and installed as Dramatiq's global broker."""
    global _configured
    if _configured is None:
        _configured = make_broker()
        dramatiq.set_broker(_configured)
    return _configured
