"""Injected latency, server errors and hanging requests, drawn from one seeded generator.

With the same seed and the same sequence of calls the same faults happen, so a test can
rely on seeing every outcome of a hanging write: not applied, applied at once, applied late.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from sandbox.plenty.config import Faults

TimeoutOutcome = Literal["not_applied", "applied", "applied_late"]


@dataclass(frozen=True)
class FaultDecision:
    """What the emulator does to one call before answering it."""

    latency_s: float = 0.0
    error_status: int | None = None
    timeout: TimeoutOutcome | None = None


class FaultInjector:
    """Draws a ``FaultDecision`` per call from the configured rates."""

    def __init__(self, faults: Faults) -> None:
        self._lock = threading.Lock()
        self._seed = faults.seed
        self._rng = random.Random(faults.seed)
        self.injected: Counter[str] = Counter()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._seed = seed
            self._rng = random.Random(seed)

    def decide(self, faults: Faults, *, is_write: bool, path: str = "") -> FaultDecision:
        with self._lock:
            if faults.seed != self._seed:
                self._seed = faults.seed
                self._rng = random.Random(faults.seed)
            latency = faults.latency_ms / 1000
            if faults.jitter_ms:
                latency += self._rng.uniform(0, faults.jitter_ms) / 1000
            if not (is_write or faults.include_reads):
                return FaultDecision(latency_s=latency)
            if faults.paths and not any(path.startswith(p) for p in faults.paths):
                return FaultDecision(latency_s=latency)
            # Always draw both numbers so one rate's setting never shifts the other's sequence.
            error_draw, timeout_draw = self._rng.random(), self._rng.random()
            if faults.error_rate and error_draw < faults.error_rate and faults.error_statuses:
                status = self._rng.choice(faults.error_statuses)
                self.injected[f"error_{status}"] += 1
                return FaultDecision(latency_s=latency, error_status=status)
            if faults.timeout_rate and timeout_draw < faults.timeout_rate:
                outcome = self._outcome(faults)
                self.injected[f"timeout_{outcome}"] += 1
                return FaultDecision(latency_s=latency, timeout=outcome)
            return FaultDecision(latency_s=latency)

    def _outcome(self, faults: Faults) -> TimeoutOutcome:
        weights = faults.timeout_outcomes
        choices: list[TimeoutOutcome] = ["not_applied", "applied", "applied_late"]
        values = [weights.not_applied, weights.applied, weights.applied_late]
        if sum(values) <= 0:
            return "not_applied"
        return self._rng.choices(choices, weights=values)[0]
