"""What a job needs from whoever runs it: a way to send the next messages, and the backends.

``worker.courier.Courier`` is the one implementation. The jobs name only this protocol, so
they need not import the courier that in turn names the jobs as its actors.
"""

from __future__ import annotations

from typing import Protocol

from core.export.connections import Backends


class Sender(Protocol):
    """Sends the actors' messages; ``backends`` is where the token and budget are shared."""

    @property
    def backends(self) -> Backends: ...

    def enumerate(self, run_id: int, *, delay: float = 0.0) -> None: ...

    def batch(
        self, run_id: int, batch_id: int, *, delay: float = 0.0, time_limit_s: float
    ) -> None: ...

    def drain(self, profile_id: int, *, delay: float = 0.0) -> None: ...

    def collect(self, profile_id: int, *, delay: float = 0.0) -> None: ...
