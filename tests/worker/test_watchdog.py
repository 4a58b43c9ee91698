"""The scheduler's periodic check: retention applied and incidents mailed, each once."""

from __future__ import annotations

import datetime as dt

import pytest
from dramatiq.brokers.stub import StubBroker

from core.db.models import Run
from core.operations.settings import NotifySettings
from tests.core.operations.helpers import add_pending, add_run
from tests.core.operations.test_notify import Mailbox, mailbox  # noqa: F401 (fixture)
from tests.worker.offline import offline_profile
from worker.courier import Courier
from worker.deployment import choose_deployment
from worker.leader import SoleLeadership
from worker.scheduler import Scheduler
from worker.settings import WorkerSettings
from worker.watchdog import watch_over


def test_sweep_applies_retention_and_mails_a_red_health_once(
    sqlite_db: str,
    mailbox: tuple[Mailbox, NotifySettings],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, settings = mailbox
    for name, value in {
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "TLS": "none",
        "TO": "ops@example.test",
    }.items():
        monkeypatch.setenv(f"PLENTYSYNC_NOTIFY_{name}", str(value))
    monkeypatch.setenv("PLENTYSYNC_HEALTH_HISTORY_RETENTION_DAYS", "30")
    profile = offline_profile()
    kept = add_run(profile, "done", age=dt.timedelta(days=3))
    add_run(profile, "done", age=dt.timedelta(days=45))
    add_pending(profile, "1", dt.timedelta(hours=3))  # due for hours, and no worker alive

    scheduler = Scheduler(
        Courier(StubBroker()),
        SoleLeadership(),
        WorkerSettings(sweep_interval_s=0.001),
        watch=lambda: watch_over(choose_deployment()),
    )
    scheduler.sweep_if_due()
    scheduler._last_sweep = 0.0  # the next sweep is due at once
    scheduler.sweep_if_due()

    assert [r.id for r in Run.select()] == [kept.id]
    subjects = sorted(box.subjects)
    assert len(subjects) == 2  # two incidents, each mailed once across both sweeps
    assert "a queue item has waited" in subjects[0]
    assert subjects[1] == "plentysync is unhealthy: work waits but no worker is alive"
