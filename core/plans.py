"""PlentyONE's published API budgets per plan (calls per user per minute, per system per day)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PlanName = Literal["basic", "classic", "flex", "plus"]


@dataclass(frozen=True)
class PlanBudget:
    read_per_minute: int
    write_per_minute: int
    read_per_day: int
    write_per_day: int


PLANS: dict[str, PlanBudget] = {
    "basic": PlanBudget(80, 40, 59_760, 17_280),
    "classic": PlanBudget(200, 80, 166_000, 48_000),
    "flex": PlanBudget(240, 100, 282_000, 72_000),
    "plus": PlanBudget(280, 120, 282_000, 72_000),
}
