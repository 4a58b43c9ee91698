"""Blackout windows: which one holds a moment, and when it closes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from core.clients import BlackoutWindow, ClientSettings

UTC = dt.UTC


def test_a_window_within_one_day_closes_the_same_day_in_its_zone() -> None:
    window = BlackoutWindow(start="01:00", end="03:00", timezone="Europe/Berlin")
    moment = dt.datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 01:30 in Berlin
    assert window.contains(moment)
    assert window.ends_after(moment) == dt.datetime(
        2026, 12, 1, 3, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert window.describe() == "01:00-03:00@Europe/Berlin"


def test_a_window_across_midnight_closes_the_next_morning_when_entered_at_night() -> None:
    window = BlackoutWindow(start="22:00", end="02:00", days=["mon", "tue"], timezone="UTC")
    night = dt.datetime(2026, 11, 30, 23, 15, tzinfo=UTC)  # a Monday
    morning = dt.datetime(2026, 12, 1, 1, 15, tzinfo=UTC)
    assert window.ends_after(night) == dt.datetime(2026, 12, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    assert window.ends_after(morning) == dt.datetime(2026, 12, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    assert window.describe() == "22:00-02:00/mon,tue@UTC"


def test_the_window_holding_a_moment_is_named() -> None:
    night = BlackoutWindow(start="01:00", end="03:00")
    noon = BlackoutWindow(start="12:00", end="12:30")
    settings = ClientSettings(blackout_windows=[night, noon])
    assert settings.blackout_at(dt.datetime(2026, 12, 1, 12, 10, tzinfo=UTC)) == noon
    assert settings.blackout_at(dt.datetime(2026, 12, 1, 4, 0, tzinfo=UTC)) is None
    assert not settings.in_blackout(dt.datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
