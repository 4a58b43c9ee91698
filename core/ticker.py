"""A background thread that calls one function at a steady pace while a block of work runs.

The heartbeat of an inline run, the lease renewal of a worker's batch and the sweeper of the
tests all need the same thing: call something every so often from a daemon thread, stop when
the block ends (or when the call says there is no point going on), and tidy up inside that
thread before it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["ticking"]


@contextmanager
def ticking(
    tick: Callable[[], bool | None],
    every: float,
    *,
    name: str | None = None,
    at_end: Callable[[], object] | None = None,
) -> Iterator[None]:
    """Call ``tick`` every ``every`` seconds from a thread until the block ends.

    The first call comes one interval after the block starts. A ``tick`` that returns
    ``False`` stops the thread early; any other answer (``None`` too) keeps it going. An
    exception ``tick`` does not catch ends the thread. ``at_end`` runs in the thread as it
    ends, however it ends. Leaving the block stops the thread and waits for it.
    """
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.wait(every):
                if tick() is False:
                    return
        finally:
            if at_end is not None:
                at_end()

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
