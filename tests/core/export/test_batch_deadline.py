"""A batch past its deadline gives its remaining customers back between two customers."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.db.models import Profile, Run, RunBatch, RunItem
from core.export import runs
from core.export.batch import export_batch
from core.export.inline import execute_inline, prepare
from core.export.runs import RunOptions
from core.export.service import close_deps, open_deps, start_export
from tests.core.export.conftest import FAST, Shop


def test_a_batch_out_of_time_stops_between_customers_and_loses_none(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile({"schedule": {"process_batch_size": 10}})
    run = start_export(profile, RunOptions(entity_ids=list(range(1, 11))))
    runs.start_run(run.id)
    deps = open_deps(run, **FAST)
    try:
        prepare(deps, Run.get_by_id(run.id))
        (batch,) = RunBatch.select().where(RunBatch.run == run.id)
        leased = runs.lease_batch(batch.id, deps.owner)
        assert leased is not None
        deps.deadline = time.monotonic()  # already passed: only the first customer is worked
        result = export_batch(deps, leased)
        assert result.status == "waiting" and result.retry_after == 0
        back = RunBatch.get_by_id(batch.id)
        assert back.status == "pending" and back.attempts == 0 and back.lease_owner == ""
        assert back.entity_keys == [str(k) for k in range(2, 11)]
        assert RunItem.select().where(RunItem.run == run.id).count() == 1
        assert shop.stats()["contacts"] <= 1

        deps.deadline = None
        finished = execute_inline(deps, run.id)
    finally:
        close_deps(deps)
    assert finished.status == "done" and finished.total == 10
    items = {i.entity_key for i in RunItem.select().where(RunItem.run == run.id)}
    assert items == {str(k) for k in range(1, 11)}
    assert finished.created + finished.failed == 10
