"""The governor hands PlentyONE's long-period headers on, stored at most once a minute."""

from __future__ import annotations

from core.plenty import Governor, LongPeriodNotes, LongPeriodSeen, MemoryBudgetBackend
from tests.core.plenty.conftest import FakeClock, make_config

LONG = "X-Plenty-Global-Long-Period"


def _headers(left: int, decay: int = 5_000) -> dict[str, str]:
    return {f"{LONG}-Limit": "1000", f"{LONG}-Calls-Left": str(left), f"{LONG}-Decay": str(decay)}


def test_the_latest_headers_are_written_once_a_minute_and_at_once_when_spent() -> None:
    clock = FakeClock()
    config = make_config(share=0.6)
    governor = Governor(config, MemoryBudgetBackend(), clock)
    written: list[tuple[str, str, LongPeriodSeen]] = []
    governor.long_notes = LongPeriodNotes(
        "sys", write=lambda key, kind, seen: written.append((key, kind, seen))
    )
    start = clock.now()
    governor.observe("POST", "/rest/accounts/contacts", 200, _headers(900))
    clock.sleep(10)
    governor.observe("POST", "/rest/accounts/contacts", 200, _headers(890))
    assert [(k, kind, s.calls_left) for k, kind, s in written] == [("sys", "write", 900)]
    assert governor.long_notes.latest["write"].calls_left == 890
    clock.sleep(55)
    governor.observe("GET", "/rest/accounts/contacts", 200, _headers(880))
    governor.observe("POST", "/rest/accounts/contacts", 200, _headers(870))
    assert [(kind, s.calls_left) for _, kind, s in written][1:] == [("read", 880), ("write", 870)]
    clock.sleep(1)
    # Down to the 400 kept for others: written at once, and the budget is blocked.
    governor.observe("POST", "/rest/accounts/contacts", 200, _headers(400, decay=3_000))
    assert written[-1][2] == LongPeriodSeen(1000, 400, 3_000.0, start + 66)


def test_a_governor_without_notes_keeps_the_headers_to_itself() -> None:
    governor = Governor(make_config(), MemoryBudgetBackend(), FakeClock())
    assert governor.observe("POST", "/rest/x", 200, _headers(900)) == 0.0
    assert governor.long_notes is None
