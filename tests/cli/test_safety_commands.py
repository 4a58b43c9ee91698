"""Commands that could do harm refuse plainly when they cannot do what the operator expects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.config_data import load_config
from core.db.models import Run
from tests.cli.support import plentysync
from tests.core.operations.helpers import add_run
from tests.worker.offline import offline_profile


def test_worker_without_redis_refuses_in_one_line(plentysync_home: Path) -> None:
    # Without the refusal the workers wait forever on an in-memory broker nobody else reaches.
    refused = plentysync(plentysync_home, "worker", "--processes", "1", stdin="", timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: the worker process needs PLENTYSYNC_REDIS_URL; on a single host run "
        "'plentysync serve', which works the exports itself"
    ]


def test_delete_config_asks_and_a_script_must_say_yes(
    sqlite_db: str, plentysync_home: Path
) -> None:
    profile = offline_profile()
    args = ("customer", "delete-config", "--client-id", profile.client.name)
    refused = plentysync(plentysync_home, *args, stdin="y\n")  # a pipe is no one's answer
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "give --yes" in refused.stderr and repr(profile.client.name) in refused.stderr
    assert load_config("client", profile.client_id)

    removed = plentysync(plentysync_home, *args, "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "kinds removed" in removed.stdout
    assert load_config("client", profile.client_id) == {}


def test_clearing_all_history_asks_and_a_script_must_say_yes(
    sqlite_db: str, plentysync_home: Path
) -> None:
    profile = offline_profile()
    old = add_run(profile, "done", age=dt.timedelta(days=40))
    recent = add_run(profile, "done")

    refused = plentysync(plentysync_home, "history", "clear", "--older-than", "0", stdin="")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "give --yes" in refused.stderr
    assert {r.id for r in Run.select()} == {old.id, recent.id}

    # A cut-off in days removes what is old only and needs no confirmation.
    aged = plentysync(plentysync_home, "history", "clear", "--older-than", "30", stdin="")
    assert aged.returncode == 0 and "removed 1 runs" in aged.stdout
    everything = plentysync(plentysync_home, "history", "clear", "--older-than", "0", "--yes")
    assert everything.returncode == 0 and "removed 1 runs" in everything.stdout
    assert not Run.select().exists()
