"""Commands that could do harm refuse plainly when they cannot do what the operator expects."""

from __future__ import annotations

from pathlib import Path

from tests.cli.support import plentysync


def test_worker_without_redis_refuses_in_one_line(plentysync_home: Path) -> None:
    # Without the refusal the workers wait forever on an in-memory broker nobody else reaches.
    refused = plentysync(plentysync_home, "worker", "--processes", "1", stdin="", timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: the worker process needs PLENTYSYNC_REDIS_URL; on a single host run "
        "'plentysync serve', which works the exports itself"
    ]
