"""Guardrails end to end: a run pauses with its reason, keeps its batches, resumes or cancels.

Small sandboxes over loopback HTTP: a PlentyONE that refuses half the writes, and a second,
larger Magento the profile's source is pointed at after a full export of the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from core.db.connection import write_transaction
from core.db.models import MagentoSource, Profile, Run, RunBatch
from core.export.inline import execute_inline
from core.export.runs import cancel_run, running_run
from core.export.service import close_deps, open_deps
from core.operations.health import collect_status
from core.operations.history import clear_history
from core.operations.notify import open_incidents, run_incidents
from core.operations.settings import HealthSettings, NotifySettings
from core.services.runs import run_summary
from core.settings import get_settings
from sandbox.data import Dataset, DatasetConfig
from sandbox.magento import MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread
from tests.core.export.conftest import FAST, Shop, export
from tests.core.operations.test_notify import Mailbox, mailbox  # noqa: F401 - a fixture
from worker.jobs import resume_run

CUSTOMERS = 20
LARGER = 80
LIMITS = RateLimits(short_read=100_000, short_write=100_000, long_read=10**8, long_write=10**8)


@pytest.fixture
def shop(export_db: str) -> Iterator[Shop]:
    """The shared fixtures' shop, with a small store and no guest orders."""
    config = {"customers": CUSTOMERS, "seed": 5, "orders": 0}
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=LIMITS))) as plenty,
        serve_in_thread(magento_app(MagentoSandboxConfig(**config))) as magento,
    ):
        yield Shop(plenty, magento, Dataset(DatasetConfig(**config)))


@pytest.fixture
def larger_magento() -> Iterator[RunningServer]:
    config = MagentoSandboxConfig(customers=LARGER, seed=11, orders=0)
    with serve_in_thread(magento_app(config)) as magento:
        yield magento


def _resume(run: Run) -> Run:
    assert resume_run(run.id, None)
    deps = open_deps(Run.get_by_id(run.id), **FAST)
    deps.park_delay = dt.timedelta(seconds=1)
    try:
        return execute_inline(deps, run.id)
    finally:
        close_deps(deps)


def _open_batches(run: Run) -> int:
    return (
        RunBatch.select().where((RunBatch.run == run.id) & (RunBatch.status == "pending")).count()
    )


def _status_problems() -> list[str]:
    status = collect_status(
        get_settings(), HealthSettings(), mode="single-host", workers=[], budget_reader=None
    )
    return [p.message for p in status.problems]


def test_a_run_whose_creates_are_refused_pauses_and_resumes(
    shop: Shop,
    make_profile: Callable[..., Profile],
    mailbox: tuple[Mailbox, NotifySettings],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, settings = mailbox
    monkeypatch.setenv("PLENTYSYNC_NOTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLENTYSYNC_NOTIFY_SMTP_PORT", str(settings.smtp_port))
    monkeypatch.setenv("PLENTYSYNC_NOTIFY_TLS", "none")
    monkeypatch.setenv("PLENTYSYNC_NOTIFY_TO", "ops@example.test")
    guard: dict[str, Any] = {"failure_window": 6, "failure_share": 0.3}
    profile = make_profile({"schedule": {"process_batch_size": 3}, "guard": guard})
    # PlentyONE refuses half of the writes (a 422 is a refusal: the customer fails).
    shop.plenty_config({"faults": {"seed": 2, "error_rate": 0.5, "error_statuses": [422]}})

    run = export(profile, park_seconds=1.0)

    assert run.status == "paused"
    assert run.pause_reason.endswith("see 'plentysync history show'")
    assert "of the last 6 customers failed (more than 30%)" in run.pause_reason
    assert run.failed >= 2 and run.total == CUSTOMERS
    done = run.created + run.updated + run.unchanged + run.skipped + run.failed + run.conflicts
    # It stopped right after the batch that filled the window; its other batches are kept.
    assert done == 6 and _open_batches(run) == (CUSTOMERS - 6 + 2) // 3
    assert run_summary(run.id).pause_reason == run.pause_reason
    assert any(f"run {run.id} paused" in line for line in _status_problems())
    assert f"run-paused:{run.id}" in open_incidents()
    assert box.subjects == [f"plentysync: run {run.id} of profile {profile.name} paused"]
    assert f"plentysync run resume {run.id}" in str(box.messages[0].get_payload())

    shop.plenty_config({"faults": {"error_rate": 0.0}})
    resumed = _resume(run)

    assert resumed.status == "done" and _open_batches(resumed) == 0
    assert resumed.total == CUSTOMERS
    assert not any(i.key == f"run-paused:{run.id}" for i in run_incidents(0.99))
    assert shop.stats()["duplicate_contacts_by_external_id"] == 0


def test_a_profile_pointed_at_a_larger_shop_pauses_before_the_limit(
    shop: Shop, make_profile: Callable[..., Profile], larger_magento: RunningServer
) -> None:
    profile = make_profile(
        {"schedule": {"process_batch_size": 4}, "guard": {"creates_multiple": 2}}
    )
    first = export(profile)
    assert first.status == "done" and first.created > 0
    limit = 2 * first.created
    with write_transaction():
        MagentoSource.update(base_url=larger_magento.base_url).where(
            MagentoSource.id == profile.source_id
        ).execute()

    run = export(Profile.get_by_id(profile.id))

    assert run.status == "paused"
    assert f"would create more than {limit} contacts" in run.pause_reason
    assert f"2 x the {first.created} contacts full export run {first.id} created" in (
        run.pause_reason
    )
    assert run.created <= limit and _open_batches(run) > 0
    assert shop.stats()["contacts"] <= first.created + limit

    resumed = _resume(run)  # the operator looked and goes on: the creations are accepted

    assert resumed.status == "done" and resumed.total == LARGER
    assert resumed.created > run.created


def test_a_paused_run_is_cancelled_and_keeps_its_batches(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(
        {"schedule": {"process_batch_size": 4}, "guard": {"max_creates": 5}}, name="capped"
    )

    run = export(profile)

    assert run.status == "paused" and run.created <= 5
    assert "the limit of the profile's max_creates" in run.pause_reason
    kept = _open_batches(run)
    assert kept > 0
    paused = running_run(profile.id)  # no schedule or queue drain starts beside it
    assert paused is not None and paused.id == run.id
    assert clear_history(dt.timedelta(0)).runs == 0  # not finished: history keeps it
    assert cancel_run(run.id)
    assert running_run(profile.id) is None
    cancelled = Run.get_by_id(run.id)
    assert cancelled.status == "cancelled" and _open_batches(cancelled) == kept
    assert run_summary(cancelled.id).pause_reason is None  # status and history: cancelled
