"""With Redis, a run started from the TUI goes through the broker to a real worker process."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.db.models import Run
from tests.tui.test_flows import app_for, until
from tests.worker.conftest import (  # noqa: F401 - fixtures used by name
    Sandboxes,
    WorkerProcesses,
    make_profile,
    redis_namespace,
    shared_db,
    start_sandboxes,
    wait_for,
    worker_env,
    workers,
)
from tui.screens.run_dialog import RunDialog
from tui.screens.run_view import RunViewScreen

pytestmark = [pytest.mark.redis, pytest.mark.anyio]


async def test_a_run_from_the_dialog_is_worked_by_a_redis_worker(
    start_sandboxes: Callable[..., Sandboxes],  # noqa: F811
    workers: WorkerProcesses,  # noqa: F811
) -> None:
    boxes = start_sandboxes(customers=20)
    make_profile(boxes)
    workers.start(processes=1, threads=2)
    app = app_for()
    assert app.services.mode == "workers"
    wait_for(lambda: bool(app.services.deployment.live_workers()), 30, "a heartbeat", workers.logs)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.services.embedded is None  # the workers work it, not this process
        await until(pilot, lambda: app.screen.query("#profiles").first().row_count == 1)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RunDialog))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RunViewScreen))
        view = app.screen
        assert isinstance(view, RunViewScreen)
        await until(pilot, lambda: view.progress is not None and view.progress.status == "done", 90)
        assert "1 worker" in str(app.screen.query_one("#status-header").render())
    run = Run.get_by_id(view.run_id)
    assert (run.status, run.created) == ("done", 20)
