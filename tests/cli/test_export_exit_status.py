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
    in_process,
    plentysync,
    set_up_profile,
    sigint_handled,
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


def _interrupted(data: Path, plenty: RunningServer) -> str:
    """Ctrl-C to an export once it has created three contacts; its one line on stderr.

    The export is started as a script's background job would start it, SIGINT ignored: the
    Ctrl-C must reach it all the same (it ran to its end, exit 3, when it did not).
    """
    with sigint_handled():
        export = start_plentysync(data, "customer", "export", "--profile-id", "eu")
    deadline = time.monotonic() + 60
    while _contacts(plenty) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert export.poll() is None, export.communicate()
    export.send_signal(signal.SIGINT)
    stdout, stderr = export.communicate(timeout=60)
    assert export.returncode == 130, (stderr, stdout)  # stdout holds a finished run's summary
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_ctrl_c_says_what_was_done_and_how_to_resume(
    home: tuple[Path, RunningServer],
) -> None:
    data, plenty = home
    line = _interrupted(data, plenty)
    assert line.startswith("interrupted: run 1 stopped after ")
    assert "'plentysync run resume 1'" in line

    runs = json.loads(in_process(data, "run", "list", "--json").stdout)
    assert runs[0]["status"] == "cancelled"
    recorded = sum(runs[0][k] for k in ("created", "updated", "unchanged", "skipped", "failed"))
    assert f"stopped after {recorded} of {runs[0]['total']} customers" in line
    assert f"{runs[0]['created']} created" in line


@pytest.mark.slow  # the write cut off by Ctrl-C is looked up again after the park delay (90 s)
def test_the_resume_ctrl_c_names_works_the_inline_run_to_its_end(
    home: tuple[Path, RunningServer],
) -> None:
    data, plenty = home
    _interrupted(data, plenty)
    # An inline run is worked to its end by 'run resume' itself, ending as an export does
    # (the slow answers were there to be interrupted; the rest need not wait for them).
    httpx.post(f"{plenty.base_url}/_sandbox/config", json={"faults": {"latency_ms": 0}})
    resumed = plentysync(data, "run", "resume", "1")
    assert resumed.returncode in (0, 3) and "run 1 done" in resumed.stdout, resumed.stderr
