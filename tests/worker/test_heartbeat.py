"""Worker heartbeats in Redis, and the single-host answer from serve's lock."""

from __future__ import annotations

import pytest
import redis
from filelock import FileLock

from core.settings import get_settings, reset_settings
from tests.worker.conftest import REDIS_URL
from worker.deployment import choose_deployment
from worker.heartbeat import Heartbeat, heartbeat_prefix
from worker.serve import lock_path


def live_workers() -> list[str]:
    return [w.name for w in choose_deployment().live_workers()]


def test_heartbeat_keys_are_live_workers_until_they_expire(
    redis_client: redis.Redis, redis_namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_REDIS_URL", REDIS_URL)
    reset_settings()
    assert live_workers() == []
    beat = Heartbeat(redis_client, ttl=30, prefix=heartbeat_prefix(redis_namespace))
    beat.beat()
    assert live_workers() == [beat.name]
    assert 0 < redis_client.pttl(f"{redis_namespace}:worker:{beat.name}") <= 30_000
    beat.before_worker_shutdown(None, None)  # type: ignore[arg-type]
    assert live_workers() == []


def test_single_host_worker_is_serve_holding_its_lock() -> None:
    get_settings().home.mkdir(parents=True)
    assert live_workers() == []
    lock = FileLock(lock_path(get_settings().home))
    with lock:
        assert live_workers() == ["serve"]
    assert live_workers() == []
