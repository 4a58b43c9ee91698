"""Retry-After parsing and the exponential backoff with equal jitter."""

from __future__ import annotations

import random
from email.utils import format_datetime, parsedate_to_datetime

import pytest

from core.backoff import equal_jitter, retry_after

NOW_HTTP = "Wed, 21 Oct 2026 07:28:00 GMT"
NOW = parsedate_to_datetime(NOW_HTTP).timestamp()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0)],
)
def test_retry_after_reads_seconds_and_http_dates(header: str, seconds: float):
    assert retry_after({"Retry-After": header}, now=NOW) == seconds


@pytest.mark.parametrize("headers", [{}, {"Retry-After": ""}, {"Retry-After": "soon"}])
def test_retry_after_absent_or_unreadable_is_none(headers: dict[str, str]):
    assert retry_after(headers, now=NOW) is None


def test_retry_after_in_the_past_is_zero():
    past = format_datetime(parsedate_to_datetime(NOW_HTTP).replace(year=2020), usegmt=True)
    assert retry_after({"Retry-After": past}, now=NOW) == 0.0


def test_equal_jitter_doubles_up_to_the_ceiling():
    rng = random.Random(4)
    for attempt, (low, high) in enumerate([(0.5, 1), (1, 2), (2, 4), (2.5, 5), (2.5, 5)], 1):
        assert low <= equal_jitter(attempt, 1.0, 5.0, rng) <= high
