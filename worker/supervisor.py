"""``plentysync worker`` keeps its Dramatiq processes running when one of them dies.

Dramatiq's main process stops all its worker processes as soon as one of them exits
unexpectedly (killed, out of memory). Left alone, ``plentysync worker`` would then exit, and
under honcho the whole Procfile - the scheduler too - would stop with it. So the command runs
Dramatiq as a child and starts it again after a short pause. Nothing is lost meanwhile: the
dead process's batch keeps its lease only until ``PLENTYSYNC_WORKER_LEASE_S`` and is then sent
again by the sweeper.

What a supervisor (systemd, honcho) sees:

* one worker process dying: nothing but a warning in the log; the command keeps running;
* Dramatiq dying ``RESTART_LIMIT`` times within ``RESTART_WINDOW``: the command exits with
  Dramatiq's exit code, a crash loop for the supervisor to report and restart;
* Dramatiq refusing its arguments or failing to import the actors (exit 2): the command exits
  with 2 at once, since starting again cannot help;
* SIGTERM or SIGINT: forwarded once to Dramatiq, which lets each batch in flight finish; the
  command exits 0 when it has stopped;
* the command killed outright (SIGKILL): Dramatiq gets SIGTERM from the kernel (Linux) and
  stops the same way, instead of running on orphaned.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

RESTART_LIMIT = 5
RESTART_WINDOW = 600.0
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
# Dramatiq's exit code for an import error or a bad argument.
CANNOT_START = 2
PR_SET_PDEATHSIG = 1

Spawn = Callable[[Sequence[str]], "subprocess.Popen[bytes]"]


def spawn_dramatiq(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start Dramatiq in a session of its own.

    A signal sent to our process group (a terminal's Ctrl-C, honcho stopping) then reaches
    Dramatiq only through us, once: a worker process that sees SIGTERM twice stops at once
    instead of finishing its batch.
    """
    return subprocess.Popen(list(argv), start_new_session=True, preexec_fn=_stop_with_parent)


def _stop_with_parent() -> None:
    # Linux: Dramatiq gets SIGTERM (and stops gracefully) if this process is killed outright;
    # its own session would otherwise keep it running, orphaned, after ``plentysync worker``.
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def supervise(
    argv: Sequence[str],
    stop: threading.Event,
    *,
    spawn: Spawn = spawn_dramatiq,
    clock: Callable[[], float] = time.monotonic,
    poll: float = 0.5,
    first_pause: float = FIRST_PAUSE,
) -> int:
    """Run ``argv`` until ``stop`` is set, starting it again when it dies; the exit code."""
    restarts: deque[float] = deque()
    pause = first_pause
    while True:
        started = clock()
        proc = spawn(argv)
        code = _wait(proc, stop, poll)
        if stop.is_set() or code == 0:
            return 0 if code in (0, None) else _exit_code(code)
        if code == CANNOT_START:
            log.error("Dramatiq cannot start (exit %d): see the lines above", code)
            return CANNOT_START
        now = clock()
        while restarts and restarts[0] < now - RESTART_WINDOW:
            restarts.popleft()
        if len(restarts) >= RESTART_LIMIT:
            log.error(
                "Dramatiq exited %d times within %d s (last exit %s): giving up",
                len(restarts) + 1,
                RESTART_WINDOW,
                code,
            )
            return _exit_code(code)
        restarts.append(now)
        if now - started > 60:
            pause = first_pause
        log.warning(
            "Dramatiq exited with %s (one of its worker processes died); starting it again "
            "in %.0f s. Batches it was working are sent again once their leases expire.",
            code,
            pause,
        )
        if stop.wait(pause):
            return 0
        pause = min(LONGEST_PAUSE, pause * 2)


def _wait(proc: subprocess.Popen[bytes], stop: threading.Event, poll: float) -> int:
    while True:
        code = proc.poll()
        if code is not None:
            return code
        if stop.wait(poll):
            proc.send_signal(signal.SIGTERM)
            return proc.wait()


def _exit_code(code: int) -> int:
    # A process killed by a signal has a negative code; a shell reports 128 + signal.
    return 128 - code if code < 0 else code
