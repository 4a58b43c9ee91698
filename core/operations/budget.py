"""How much of PlentyONE's rate budgets plentysync may still spend, read from the shared state."""

from __future__ import annotations

import math
from typing import Protocol

from core.db.models import Client
from core.export.connections import plenty_config
from core.plenty import BudgetState, Governor, PlentyConfig, SlotRequest, SystemClock


class BudgetReader(Protocol):
    """A budget backend that can show one budget's state (the database and Redis ones can)."""

    def state(self, key: str) -> BudgetState: ...


def _config(client: Client) -> PlentyConfig:
    # The same budgets and share as the exporting client, without decrypting the password:
    # a status check must work even where the secret key is not available.
    return plenty_config(client, with_password=False)


def calls_left(state: BudgetState, slot: SlotRequest, period: float, now: float) -> int:
    """Calls still allowed in ``period`` by one GCRA budget (0 while PlentyONE blocks it)."""
    if slot.interval <= 0:
        return 0
    if state.blocked_until > now:
        return 0
    allowed = round(period / slot.interval)
    ahead = max(0.0, state.next_slot - now)
    return max(0, min(allowed, allowed - math.ceil(ahead / slot.interval - 1e-9)))


def budget_left(client: Client, reader: BudgetReader, now: float | None = None) -> dict[str, int]:
    """Read and write calls left this minute and today, within plentysync's share."""
    config = _config(client)
    governor = Governor(config, reader, SystemClock())  # type: ignore[arg-type]
    moment = SystemClock().now() if now is None else now
    left: dict[str, int] = {}
    for kind, method in (("read", "GET"), ("write", "POST")):
        minute, day, _route = governor.slots_for(method, "/")
        left[f"{kind}_per_minute"] = calls_left(
            reader.state(minute.key), minute, config.window, moment
        )
        left[f"{kind}_per_day"] = calls_left(reader.state(day.key), day, 86_400.0, moment)
    return left
