"""How ``customer export`` ends for cron and for a person: its exit status and its last line."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.plenty import Faults
from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    plentysync,
    set_up_profile,
    small_sandboxes,
    start_plentysync,
)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Path, RunningServer]]:
    """A runnable profile 'eu' whose PlentyONE answers every write slowly."""
    slow = Faults(latency_ms=150)
    with small_sandboxes(customers=60, seed=4, orders=500, faults=slow) as (plenty, magento):
        home = tmp_path / "data"
        set_up_profile(home, plenty, magento, client=FAST_CLIENT)
        yield home, plenty


def _contacts(plenty: RunningServer) -> int:
    return len(httpx.get(f"{plenty.base_url}/_sandbox/contacts").json())


def test_ctrl_c_says_what_was_done_and_how_to_resume(
    home: tuple[Path, RunningServer],
) -> None:
    data, plenty = home
    export = start_plentysync(data, "customer", "export", "--profile-id", "eu")
    deadline = time.monotonic() + 60
    while _contacts(plenty) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert export.poll() is None, export.communicate()
    export.send_signal(signal.SIGINT)
    _, stderr = export.communicate(timeout=60)
    assert export.returncode == 130, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("interrupted: run 1 stopped after ")
    assert "'plentysync run resume 1'" in lines[0]

    runs = json.loads(plentysync(data, "run", "list", "--json").stdout)
    assert runs[0]["status"] == "cancelled"
    recorded = sum(runs[0][k] for k in ("created", "updated", "unchanged", "skipped", "failed"))
    assert f"stopped after {recorded} of {runs[0]['total']} customers" in lines[0]
    assert f"{runs[0]['created']} created" in lines[0]
    # An inline run is worked to its end by 'run resume' itself, ending as an export does.
    resumed = plentysync(data, "run", "resume", "1")
    assert resumed.returncode in (0, 3) and "run 1 done" in resumed.stdout, resumed.stderr
