"""The short fault scenario of the suite: 200 customers, 10 % 5xx and a worker child killed.

It runs ``bench/faults.py``'s scenario as the harness does: both sandboxes, a private
redis-server, ``plentysync worker`` x2 and ``plentysync scheduler`` as real processes on
SQLite, with the PlentyONE sandbox's contacts as the truth.
"""

from __future__ import annotations

import shutil

import pytest

from bench.faults import run_scenario

CUSTOMERS = 200


@pytest.mark.slow  # the bench's fault scenario, run whole
@pytest.mark.timeout(600)
def test_server_errors_and_a_killed_worker_child_lose_and_double_nothing() -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    tally = run_scenario("5xx-kill-child", CUSTOMERS)
    summary = f"{tally.as_json()}"
    assert tally.duplicates == 0, summary
    assert tally.lost == 0, summary
    assert tally.failed_ours == 0, summary
    assert tally.exported + tally.failed_data == CUSTOMERS, summary
    assert tally.results == CUSTOMERS, summary
    assert f"{tally.per_customer:.2f}" == "1.00", summary
    reported, truth = tally.reported, tally.truth
    assert reported["created"] == truth["created"], summary
    assert reported["updated"] + reported["unchanged"] == truth["existing"], summary
    assert reported["failed"] == truth["failed"], summary
