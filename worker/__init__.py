"""Exporting in production: the deployment, Dramatiq actors, the scheduler and the sweeper.

``worker.deployment.choose_deployment`` decides single host or Redis, once; the
``Deployment`` it returns gives the broker, the backends, leadership, heartbeats, the live
workers and ``start_run``, the one way a front end starts an export. ``plentysync worker``
runs ``dramatiq worker.actors`` (importing that module installs the deployment's broker and
the actors of ``worker.routes``); ``plentysync scheduler`` runs ``worker.serve.run_scheduler``;
``plentysync serve`` runs both in one process (``EmbeddedService``). Code that only hands
work over uses a ``Courier`` or the ``DramatiqExecutor``, which send ids, never the work.
Settings: one ``ProcessSettings`` per process (``worker.settings``).
"""

from core.export.connections import Backends
from worker.broker import BULK, LIVE, memory_broker, redis_broker
from worker.courier import Courier, DramatiqExecutor
from worker.deployment import (
    Deployment,
    EmbeddedService,
    RedisDeployment,
    RunInterrupted,
    SingleHostDeployment,
    StartedRun,
    choose_deployment,
)
from worker.heartbeat import WorkerInfo
from worker.leader import Leadership, RedisLeadership, SoleLeadership
from worker.redis_budget import RedisBudgetBackend
from worker.redis_tokens import RedisTokenStore
from worker.settings import (
    MetricsSettings,
    ProcessSettings,
    WorkerSettings,
    get_worker_settings,
    process_settings,
)

__all__ = [
    "BULK",
    "LIVE",
    "Courier",
    "Deployment",
    "DramatiqExecutor",
    "EmbeddedService",
    "Leadership",
    "MetricsSettings",
    "ProcessSettings",
    "RedisBudgetBackend",
    "RedisDeployment",
    "RedisLeadership",
    "RedisTokenStore",
    "RunInterrupted",
    "SingleHostDeployment",
    "SoleLeadership",
    "StartedRun",
    "WorkerInfo",
    "WorkerSettings",
    "choose_deployment",
    "get_worker_settings",
    "memory_broker",
    "process_settings",
    "redis_broker",
    "shared_backends",
]


def shared_backends() -> Backends:
    """Where this process's exports share PlentyONE's token and budget (the deployment's)."""
    return choose_deployment().backends()
