"""Dramatiq's time limit covers the client's timeouts and budget waits, not the budget pace."""

from __future__ import annotations

import pytest

from core.clients import client_settings, update_client
from core.export import runs
from core.export.connections import plenty_config
from core.profiles.service import parse_settings, profile_settings, save_profile
from tests.worker.offline import offline_profile
from worker.settings import reset_worker_settings
from worker.time_limit import CALLS_PER_ENTITY, batch_time_limit


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    reset_worker_settings()


def test_the_limit_outlasts_a_customer_whose_calls_all_run_into_their_timeouts(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLENTYSYNC_WORKER_PROCESSES", "1")
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "1")
    reset_worker_settings()
    profile = offline_profile()
    limit = batch_time_limit(runs.create_run(profile, "manual", runs.RunOptions()))
    config = plenty_config(profile.client, with_password=False)
    timeouts = config.timeouts
    # Every call of one customer: each try waits for budget and for every phase of the exchange.
    per_try = config.max_wait + timeouts.connect + timeouts.write + timeouts.read
    one_customer = CALLS_PER_ENTITY * config.retry.attempts * per_try
    assert limit >= 300 + one_customer  # the batch's own deadline, then one more customer


def test_neither_the_budget_nor_the_process_count_changes_the_limit(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = offline_profile()
    run = runs.create_run(profile, "manual", runs.RunOptions())
    base = batch_time_limit(run)

    monkeypatch.setenv("PLENTYSYNC_WORKER_PROCESSES", "16")
    monkeypatch.setenv("PLENTYSYNC_WORKER_THREADS", "16")
    reset_worker_settings()
    assert batch_time_limit(run) == base

    settings = client_settings(profile.client).model_copy(update={"plan": "plus"})
    update_client(profile.client, settings=settings)
    document = profile_settings(profile).to_document()
    document["schedule"]["process_batch_size"] = 500
    save_profile(profile, parse_settings(document))
    assert batch_time_limit(runs.create_run(profile, "manual", runs.RunOptions())) == base

    monkeypatch.setenv("PLENTYSYNC_WORKER_BATCH_S", "60")
    reset_worker_settings()
    assert batch_time_limit(run) == pytest.approx(base - 240)
