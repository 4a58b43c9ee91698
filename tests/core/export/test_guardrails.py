"""The guardrails' decisions, as pure functions of results, settings and counts."""

from __future__ import annotations

from core.export.guardrails import (
    CreationLimit,
    creation_limit,
    creation_reason,
    failure_reason,
    is_full_export,
)
from core.export.runs import RunOptions
from core.profiles.settings import GuardSection, ProfileSettings


def test_the_defaults_are_on_and_documented() -> None:
    guard = ProfileSettings().guard
    assert guard.enabled and guard.failure_window == 50 and guard.failure_share == 0.5
    assert guard.max_creates == 100_000 and guard.creates_multiple == 3.0
    assert all(field.description for field in GuardSection.model_fields.values())


def test_a_window_not_full_yet_never_pauses() -> None:
    guard = GuardSection(failure_window=4, failure_share=0.5)
    assert failure_reason(["failed"] * 3, guard) is None


def test_more_than_the_share_of_the_window_pauses() -> None:
    guard = GuardSection(failure_window=4, failure_share=0.5)
    assert failure_reason(["failed", "created", "failed", "created"], guard) is None
    reason = failure_reason(["failed", "failed", "created", "failed", "created"], guard)
    assert reason is not None and reason.startswith("3 of the last 4 customers failed")


def test_a_first_export_is_judged_by_the_cap_and_the_unlinked() -> None:
    guard = GuardSection(max_creates=500, creates_multiple=2)
    assert creation_limit(guard, 80, None) == CreationLimit(80, "the 80 entities not yet linked")
    assert creation_limit(guard, 900, None) == CreationLimit(500, "the profile's max_creates")
    assert creation_limit(GuardSection(max_creates=None), None, None) is None


def test_after_a_full_export_a_multiple_of_its_creations_applies() -> None:
    guard = GuardSection(max_creates=500, creates_multiple=2)
    limit = creation_limit(guard, 90, (7, 30))
    assert limit == CreationLimit(60, "2 x the 30 contacts full export run 7 created")


def test_creations_pause_before_the_batch_that_would_pass_the_limit() -> None:
    limit = CreationLimit(10, "the profile's max_creates")
    assert creation_reason(5, 5, limit) is None
    reason = creation_reason(6, 5, limit)
    assert reason is not None and "more than 10 contacts (6 created, 5 more" in reason
    assert creation_reason(10**6, 5, None) is None


def test_only_a_run_over_every_customer_is_a_full_export() -> None:
    assert is_full_export(RunOptions())
    assert is_full_export(RunOptions(behaviour="sync", guests=False))
    for selection in (
        RunOptions(entity_ids=[1]),
        RunOptions(new_only=True),
        RunOptions(limit=5),
        RunOptions(queue=True),
        RunOptions(store_id=1),
    ):
        assert not is_full_export(selection)
