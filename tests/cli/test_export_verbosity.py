"""``customer export -v|-vv|-vvv``: customers, then masked HTTP lines, then SQL, on stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sandbox.data import Dataset, DatasetConfig
from sandbox.server import RunningServer
from tests.cli.support import in_process
from tests.cli.test_safety_commands import CUSTOMERS, shop

__all__ = ["shop"]  # the fixture, used by name

RESULT_LINE = re.compile(
    r"plentysync\.results: customer (\d+) (created|updated|unchanged|skipped|failed|conflict)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+\.[a-z]{2,}")


def _export(home: Path, *flags: str) -> tuple[dict[str, object], list[str]]:
    done = in_process(home, "customer", "export", "--profile-id", "eu", "--limit", "5", "--json",
                      *flags)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr.splitlines()


def test_each_level_adds_its_own_lines(
    plentysync_home: Path, shop: tuple[RunningServer, RunningServer]
) -> None:
    summary, lines = _export(plentysync_home, "-v")
    results = [m for m in map(RESULT_LINE.search, lines) if m]
    assert len(results) == summary["total"] == 5
    assert sum(m.group(2) == "created" for m in results) == summary["created"]
    assert all(", contact " in m.string for m in results if m.group(2) == "created")
    assert not [line for line in lines if "HTTP Request" in line or "SELECT" in line]

    summary, lines = _export(plentysync_home, "-vv", "--new-only")
    assert len([line for line in lines if RESULT_LINE.search(line)]) == 5
    requests = [line for line in lines if "HTTP Request: " in line]
    assert any("/rest/accounts/contacts" in line for line in requests), requests
    assert any("/rest/all/V1/customers" in line for line in requests), requests
    emails = {
        Dataset(DatasetConfig(customers=CUSTOMERS, seed=4, orders=12)).customer(i)["email"]
        for i in range(1, CUSTOMERS + 1)
    }
    shown = {e for line in lines for e in EMAIL.findall(line)}
    assert not shown & emails
    assert not [line for line in lines if "SELECT" in line]

    _, lines = _export(plentysync_home, "-vvv", "--new-only")
    assert any("SELECT" in line for line in lines)
