"""Politeness towards one shop: a concurrency cap, a minimum spacing and one scan at a time.

Every client of the same source in this process shares one ``SourceGate``, so two profiles
reading the same shop together stay within that shop's limits. The gate is per process:
several worker processes each have their own (size ``max_concurrency`` accordingly).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.errors import TransientError


class SourceGate:
    """Concurrency cap, minimum interval between request starts, and the enumeration lock."""

    def __init__(
        self,
        max_concurrency: int,
        min_interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_concurrency = max_concurrency
        self.min_interval = min_interval
        self._slots = threading.Condition()
        self._in_flight = 0
        self._spacing = threading.Lock()
        self._next_start = 0.0
        self._enumeration = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    @contextmanager
    def request_slot(self) -> Iterator[None]:
        """Hold one of the source's request slots, starting no sooner than the spacing allows."""
        with self._slots:
            # A condition rather than a semaphore, so an edited source's new cap applies.
            self._slots.wait_for(lambda: self._in_flight < self.max_concurrency)
            self._in_flight += 1
        try:
            self._wait_for_turn()
            yield
        finally:
            with self._slots:
                self._in_flight -= 1
                self._slots.notify_all()

    def _wait_for_turn(self) -> None:
        # Reserve the next start time under the lock, sleep outside it: waiting requests
        # line up one ``min_interval`` apart without holding each other up.
        with self._spacing:
            now = self._clock()
            start = max(now, self._next_start)
            self._next_start = start + self.min_interval
        if start > now:
            self._sleep(start - now)

    @contextmanager
    def enumeration(self, wait: float, what: str) -> Iterator[None]:
        """Run one scan of this source at a time in this process; give up after ``wait`` s."""
        if not self._enumeration.acquire(timeout=wait):
            raise TransientError(
                f"another scan of this Magento source is still running in this process ({what})"
            )
        try:
            yield
        finally:
            self._enumeration.release()


_gates: dict[str, SourceGate] = {}
_gates_lock = threading.Lock()


def gate_for(key: str, max_concurrency: int, min_interval: float) -> SourceGate:
    """The gate shared by every client of source ``key`` in this process.

    The limits of the most recently created client apply, so an edited source takes effect
    without a restart.
    """
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = SourceGate(max_concurrency, min_interval)
        else:
            gate.max_concurrency, gate.min_interval = max_concurrency, min_interval
        return gate
