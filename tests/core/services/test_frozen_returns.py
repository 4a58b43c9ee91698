"""Every public service returns frozen values: by its annotation, and when called on a real db.

A front end may keep what a service returned (a TUI holds rows between refreshes); a value
that could change under it, or a database row that lazily queries, would be a bug there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import pytest

import core.services
from core.db.connection import write_transaction
from core.db.models import Profile, QueueItem, utcnow
from core.operations.health import Status as Collected
from core.operations.health import collect_status
from core.operations.settings import HealthSettings
from core.services import (
    configuration,
    connections,
    customers,
    dashboard,
    explain,
    ids,
    profiles,
    progress,
    queue,
    queue_board,
    runs,
    schedules,
    status,
)
from core.settings import get_settings
from tests.core.operations.helpers import add_items, add_run
from tests.worker.offline import offline_profile

SCALARS = (int, float, bool, str, type(None), dt.datetime, dt.date, dt.timedelta)
NOW = utcnow()
# These talk to PlentyONE or Magento; test_configuration.py calls them against the sandboxes.
OVER_HTTP = {
    "configuration.collect_config",
    "configuration.create_referrer",
    # test_customers.py calls these against the sandboxes.
    "customers.look_up_customer",
    "customers.live_diff",
    "customers.conflict_candidates",
    "customers.resolve_customer_conflict",
    "customers.link_to_contact",
    "customers.unlink",
    "connection_checks.check_client",
    "connection_checks.check_source",
    "configuration.connection_checks",  # tests/tui/test_profile_editor.py, on the sandboxes
}


def _modules() -> list[types.ModuleType]:
    return [importlib.import_module(f"core.services.{name}") for name in core.services.__all__]


def _public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module in _modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ == module.__name__:
                yield f"{module.__name__.rsplit('.', 1)[1]}.{name}", value


def _frozen_class(cls: type) -> bool:
    if dataclasses.is_dataclass(cls):
        return bool(cls.__dataclass_params__.frozen)  # type: ignore[attr-defined]
    if issubclass(cls, pydantic.BaseModel):
        return bool(cls.model_config.get("frozen"))
    return False


def _frozen_type(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if tp in SCALARS or origin is typing.Literal:
        return True
    if origin in (list, tuple, typing.Union, types.UnionType):
        return all(_frozen_type(arg) for arg in typing.get_args(tp) if arg is not Ellipsis)
    return isinstance(tp, type) and _frozen_class(tp)


def frozen_value(value: Any) -> bool:
    if isinstance(value, SCALARS):
        return True
    if isinstance(value, list | tuple):
        return all(frozen_value(item) for item in value)
    return _frozen_class(type(value))


@pytest.mark.parametrize(("name", "function"), list(_public_functions()))
def test_the_return_annotation_is_afrozen_value(name: str, function: Callable[..., Any]) -> None:
    hints = typing.get_type_hints(function)
    assert "return" in hints, f"{name} has no return annotation"
    assert _frozen_type(hints["return"]), f"{name} returns {hints['return']}"


def _collected() -> Collected:
    return collect_status(
        get_settings(), HealthSettings(), mode="single-host", workers=[], budget_reader=None
    )


def _calls() -> dict[str, Callable[[], Any]]:
    """One call of every public service on the seeded database, in an order that works."""
    return {
        "ids.parse_entity_ids": lambda: ids.parse_entity_ids("1-3"),
        "runs.list_runs": lambda: runs.list_runs(runs.RunFilter(profile="eu")),
        "runs.run_summary": lambda: runs.run_summary(1),
        "runs.run_detail": lambda: runs.run_detail(1),
        "runs.run_throughput": lambda: runs.run_throughput(1),
        "runs.resumable": lambda: runs.resumable(1),
        "runs.cancel_run": lambda: runs.cancel_run(2),
        "runs.clear_history": lambda: runs.clear_history(dt.timedelta(days=365)),
        "queue.queue_stats": lambda: queue.queue_stats("eu"),
        "queue.queue_items": lambda: queue.queue_items("eu"),
        "queue.add_to_queue": lambda: queue.add_to_queue("eu", ids.parse_entity_ids("1-3")),
        "queue.count_retryable": lambda: queue.count_retryable("eu"),
        "queue_board.queue_board": lambda: queue_board.queue_board("eu"),
        "queue_board.failed_classes": lambda: queue_board.failed_classes(Profile.get().id),
        "queue.retry_failed": lambda: queue.retry_failed("eu"),
        "queue.remove_from_queue": lambda: queue.remove_from_queue("eu", ["1"]),
        "queue.clear_queue": lambda: queue.clear_queue("eu"),
        "profiles.list_profiles": profiles.list_profiles,
        "profiles.show_profile": lambda: profiles.show_profile("eu"),
        "profiles.collected_choices": lambda: profiles.collected_choices("eu"),
        "profiles.pause_profile": lambda: profiles.pause_profile("eu"),
        "profiles.resume_profile": lambda: profiles.resume_profile("eu"),
        "profiles.set_schedule_enabled": lambda: profiles.set_schedule_enabled("eu", False),
        "profiles.validate_settings": lambda: profiles.validate_settings({}),
        "profiles.connection_choices": lambda: profiles.connection_choices("erp-draft", "shop-eu"),
        "profiles.address_targets": profiles.address_targets,
        "profiles.create_profile": lambda: profiles.create_profile(
            "draft", "erp-draft", "shop-eu", changes={"store.is_active_store_filter": True}
        ),
        "profiles.edit_profile": lambda: profiles.edit_profile("draft", name="draft2"),
        "profiles.remove_profile": lambda: profiles.remove_profile("draft2"),
        "profiles.import_profile": lambda: profiles.import_profile(
            profiles.show_profile("eu").document, replace=True
        ),
        "connections.list_clients": connections.list_clients,
        "connections.show_client": lambda: connections.show_client("erp-eu"),
        "connections.create_client": lambda: connections.create_client(
            name="erp-2", base_url="https://erp2.invalid", username="api", password="pw"
        ),
        "connections.edit_client": lambda: connections.edit_client(
            "erp-2", settings={"budget_share": 0.5}
        ),
        "connections.client_settings": lambda: connections.client_settings("erp-2"),
        "connections.remove_client": lambda: connections.remove_client("erp-2"),
        "connections.list_sources": connections.list_sources,
        "connections.show_source": lambda: connections.show_source("shop-eu"),
        "connections.secrets_needed": lambda: connections.secrets_needed("oauth1"),
        "connections.create_source": lambda: connections.create_source(
            name="shop-2",
            namespace="shop-2",
            base_url="https://shop2.invalid",
            auth_mode="bearer",
            secrets={"token": "t"},
        ),
        "connections.edit_source": lambda: connections.edit_source(
            "shop-2", settings={"page_size": 50}
        ),
        "connections.remove_source": lambda: connections.remove_source("shop-2"),
        "schedules.list_schedules": schedules.list_schedules,
        "schedules.show_schedule": lambda: schedules.show_schedule("every-eu"),
        "schedules.create_schedule": lambda: schedules.create_schedule(
            name="nightly", cron="0 2 * * *", timezone="Europe/Berlin"
        ),
        "schedules.edit_schedule": lambda: schedules.edit_schedule("nightly", cron="0 3 * * *"),
        "schedules.next_fire_times": lambda: schedules.next_fire_times("0 2 * * *", "UTC", 3),
        "schedules.remove_schedule": lambda: schedules.remove_schedule("nightly"),
        "status.status": lambda: status.status(workers=["w1"], budget_reader=None),
        "status.typed_status": lambda: status.typed_status(_collected()),
        "configuration.forget_config": lambda: configuration.forget_config("erp-eu", "shop-eu"),
        "dashboard.build_dashboard": lambda: dashboard.build_dashboard(_collected(), NOW),
        "dashboard.blackout_end": lambda: dashboard.blackout_end(Profile.get(), NOW),
        "dashboard.next_run_at": lambda: dashboard.next_run_at(Profile.get(), NOW),
        "explain.explain": lambda: explain.explain(
            "eu", mode="single-host", workers_alive=False, now=NOW
        ),
        "progress.run_progress": lambda: progress.run_progress(1, NOW),
        "customers.customer_conflicts": lambda: customers.customer_conflicts("eu"),
    }


def test_every_public_service_called_on_a_seeded_database_returns_frozen_values(
    sqlite_db: str,
) -> None:
    profile = offline_profile(name="eu")
    done = add_run(profile, "done", total=3, created=1, failed=1, unchanged=1)
    add_items(done, "created", "failed", "unchanged")
    add_run(profile, "running")
    queue.add_to_queue("eu", ["7", "8"])
    connections.create_client(
        name="erp-draft", base_url="https://draft.invalid", username="api", password="pw"
    )
    with write_transaction():
        QueueItem.update(status="failed", last_error_class="failed").where(
            QueueItem.entity_key == "8"
        ).execute()

    calls = _calls()
    assert set(calls) | OVER_HTTP == {name for name, _ in _public_functions()}, "one is not called"
    for name, call in calls.items():
        value = call()
        assert frozen_value(value), f"{name} returned {type(value).__name__}: {value!r}"
        if isinstance(value, list):
            assert value, f"{name} returned nothing to check on the seeded database"
