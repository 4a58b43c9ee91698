"""A paused run on the command line: the export says why, ``run list`` and ``status`` show
the reason, ``run resume`` works it to its end."""

from __future__ import annotations

from sandbox.server import RunningServer
from tests.cli.support import (
    FAST_CLIENT,
    invoke,
    invoke_ok,
    set_up_profile_in_process,
    small_sandboxes,
)


def _set_up(plenty: RunningServer, magento: RunningServer) -> None:
    set_up_profile_in_process(
        plenty,
        magento,
        "customer.default_group=1",
        "schedule.process_batch_size=3",
        "guard.max_creates=4",
        client=(*FAST_CLIENT, "--share", "1.0"),
    )


def test_a_paused_export_says_why_and_resumes() -> None:
    with small_sandboxes(customers=12, seed=3) as (plenty, magento):
        _set_up(plenty, magento)

        exported = invoke("customer", "export", "--profile-id", "eu")
        assert exported.exit_code == 1, exported.output  # the run did not finish
        assert "run 1 paused" in exported.output
        assert "paused: would create more than 4 contacts" in exported.output
        assert "plentysync run resume 1" in exported.output

        listed = invoke_ok("run", "list").output
        assert "paused" in listed and "would create more than 4" in " ".join(listed.split())
        status = invoke("status")
        assert status.exit_code == 1 and "run 1 paused" in status.output

        again = invoke("customer", "export", "--profile-id", "eu")
        assert again.exit_code == 2  # the paused run holds the profile
        assert "run 1 of profile eu is paused (would create" in " ".join(again.output.split())

        resumed = invoke("run", "resume", "1")
        assert resumed.exit_code in (0, 3), resumed.output
        assert "run 1 done: 12 customers" in resumed.output
        assert invoke("run", "cancel", "1").exit_code != 0  # done: nothing to cancel
