"""Run reports in the served TUI: the browser is handed the file, the terminal keeps writing it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from core.db.models import Profile
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from tests.tui.conftest import Demo
from tests.tui.test_flows import until
from tui.app import PlentysyncApp
from tui.screens.run_detail import RunDetailScreen
from tui.services import Services

pytestmark = pytest.mark.anyio


def _finished_run(demo: Demo) -> int:
    run = start_export(Profile.get_by_id(demo.profile_id), RunOptions(entity_ids=[1, 2, 3]))
    InlineExecutor().submit(run)
    return run.id


async def test_a_report_is_the_export_the_terminal_writes(demo: Demo) -> None:
    run_id = _finished_run(demo)
    services = Services()
    services.open()
    for fmt, mime in (("csv", "text/csv"), ("json", "application/json")):
        report = services.run_report(run_id, fmt)  # type: ignore[arg-type]
        assert (report.file_name, report.mime_type) == (f"run-{run_id}.{fmt}", mime)
        written = services.export_run(run_id, fmt)  # type: ignore[arg-type]
        assert report.text == written.read_text()
    rows = list(csv.DictReader(io.StringIO(services.run_report(run_id, "csv").text)))
    assert len(rows) == 3
    assert len(json.loads(services.run_report(run_id, "json").text)["customers"]) == 3
    with pytest.raises(Exception, match="csv or json"):
        services.run_report(run_id, "xml")  # type: ignore[arg-type]


async def test_served_the_detail_screen_hands_the_file_to_the_browser(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _finished_run(demo)
    services = Services()
    services.open()
    app = PlentysyncApp(services, manage_logging=False, stop_timeout=5)
    app.services.start_embedded = lambda: False  # type: ignore[method-assign]
    delivered: list[dict[str, Any]] = []

    def deliver_text(file: io.StringIO, **options: Any) -> str:
        delivered.append({"text": file.read(), **options})
        return "key"

    monkeypatch.setattr(PlentysyncApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(app, "deliver_text", deliver_text)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(RunDetailScreen(run_id))
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("o")
        await until(pilot, lambda: len(delivered) == 1)
        await pilot.press("O")
        await until(pilot, lambda: len(delivered) == 2)
    csv_file, json_file = delivered
    assert csv_file["save_filename"] == f"run-{run_id}.csv"
    assert csv_file["mime_type"] == "text/csv"
    assert csv_file["text"] == services.run_report(run_id, "csv").text
    assert json_file["save_filename"] == f"run-{run_id}.json"
    # Nothing was written on the server's disk.
    assert not list(services.reports_dir().iterdir())
