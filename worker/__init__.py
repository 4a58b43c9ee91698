"""Exporting in production: Dramatiq actors, Redis backends, the scheduler and the sweeper.

``plentysync worker`` runs ``dramatiq worker.actors`` (importing that module installs the
broker and the actors); ``plentysync scheduler`` runs ``worker.serve.run_scheduler``;
``plentysync serve`` runs both in one process. Code that only hands work over uses a
``Courier`` or the ``DramatiqExecutor`` (the engine's executor interface), which send ids,
never the work itself. Settings: ``WorkerSettings`` (``PLENTYSYNC_WORKER_*``).
"""

from worker.backends import shared_backends
from worker.broker import BULK, LIVE, make_broker, setup_broker
from worker.courier import Courier, DramatiqExecutor
from worker.leader import Leadership, RedisLeadership, SoleLeadership
from worker.redis_budget import RedisBudgetBackend
from worker.redis_tokens import RedisTokenStore
from worker.settings import WorkerSettings, get_worker_settings

__all__ = [
    "BULK",
    "LIVE",
    "Courier",
    "DramatiqExecutor",
    "Leadership",
    "RedisBudgetBackend",
    "RedisLeadership",
    "RedisTokenStore",
    "SoleLeadership",
    "WorkerSettings",
    "get_worker_settings",
    "make_broker",
    "setup_broker",
    "shared_backends",
]
