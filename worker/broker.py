"""The brokers that carry the workers' messages, and the two queues they use.

A ``RedisBroker`` (keys under the worker namespace) is shared by every worker process on
every host; a ``StubBroker`` lives in memory and is worked by the one in-process
``dramatiq.Worker`` of ``plentysync serve``. Which one a process uses is decided by
``worker.deployment.choose_deployment``, not here.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

# Bulk runs and live traffic are consumed from separate queues, so a customer who just
# registered is not stuck behind the batches of an initial export.
BULK = "bulk"
LIVE = "live"


def redis_broker(url: str, namespace: str) -> dramatiq.Broker:
    """A broker on the Redis at ``url`` whose keys start with ``<namespace>:dramatiq``."""
    return RedisBroker(url=url, namespace=f"{namespace}:dramatiq")


def memory_broker() -> dramatiq.Broker:
    """A broker in this process's memory (single host)."""
    return StubBroker()
