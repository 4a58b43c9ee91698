"""The process that works an inline run: who it is, its heartbeat, and whether it is gone.

An inline run (``customer export``, the demo, ``replace``) records its host and PID on the
run and beats a heartbeat while it works. When that process is gone - the same host and the
PID no longer alive, or a heartbeat older than ``HEARTBEAT_BOUND`` - the run can be taken over
at once (``plentysync run resume``) instead of waiting for a sweeper to call it stale. Runs the
workers share record no owner: their batches carry leases that expire on their own.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from core.db.connection import database, write_transaction
from core.db.models import AccountLink, CustomerLink, Run, RunBatch, utcnow
from core.export.deps import CLAIM_TTL, PARK_DELAY
from core.ticker import ticking

HEARTBEAT_EVERY = dt.timedelta(seconds=10)
# Long enough for a process that is merely slow (a busy database, a paused VM) to beat again.
HEARTBEAT_BOUND = dt.timedelta(minutes=2)

OwnerState = Literal["none", "alive", "gone"]


@dataclass(frozen=True)
class RunOwner:
    """The owner recorded on a run, and what is known of it now."""

    host: str
    pid: int
    heartbeat_at: dt.datetime | None
    state: OwnerState

    def describe(self, now: dt.datetime | None = None) -> str:
        """``process 4711 on host-a, last heartbeat 12 s ago`` for the operator."""
        if self.state == "none":
            return "the workers"
        text = f"process {self.pid} on {self.host}"
        if self.heartbeat_at is not None:
            age = ((now or utcnow()) - self.heartbeat_at).total_seconds()
            text += f", last heartbeat {max(0, round(age))} s ago"
        return text


def this_process() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists on this host (signal 0 sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    return True


def run_owner(run: Run, now: dt.datetime | None = None) -> RunOwner:
    """Who works ``run``: nobody recorded (a workers' run), a live process, or one that is gone."""
    if not run.owner_host or run.owner_pid is None:
        return RunOwner("", 0, None, "none")
    host, pid, beat = str(run.owner_host), int(run.owner_pid), run.heartbeat_at
    silent = beat is None or beat < (now or utcnow()) - HEARTBEAT_BOUND
    gone = silent or (host == socket.gethostname() and not pid_alive(pid))
    return RunOwner(host, pid, beat, "gone" if gone else "alive")


def claim_run(run_id: int) -> None:
    """Record this process as the run's owner, with a fresh heartbeat."""
    host, pid = this_process()
    with write_transaction():
        Run.update(owner_host=host, owner_pid=pid, heartbeat_at=utcnow()).where(
            Run.id == run_id
        ).execute()


def beat(run_id: int) -> bool:
    """Renew this process's heartbeat; False when another process has taken the run over."""
    host, pid = this_process()
    with write_transaction():
        return bool(
            Run.update(heartbeat_at=utcnow())
            .where((Run.id == run_id) & (Run.owner_host == host) & (Run.owner_pid == pid))
            .execute()
        )


@contextmanager
def heartbeat(run_id: int, every: dt.timedelta = HEARTBEAT_EVERY) -> Iterator[None]:
    """Own ``run_id`` and beat its heartbeat from a thread while the body works on it.

    A thread, so a long budget wait or a slow call inside one batch still shows the process
    alive.
    """
    claim_run(run_id)
    with ticking(
        lambda: beat(run_id),
        every.total_seconds(),
        name=f"heartbeat-{run_id}",
        at_end=database.close,
    ):
        yield


def take_over(run: Run, late_write: dt.timedelta = PARK_DELAY) -> bool:
    """Make this process the owner of an open run whose owner is gone; False if it is not.

    The dead owner's leased batches are handed back at once (their leases would otherwise
    hold them for minutes). A create it may have sent just before it died can still be
    applied by PlentyONE for ``late_write``: its claims, and the batches holding them, wait
    until that much after its last sign of life, then the contact is looked up before any
    create, as for a parked entity.
    """
    owner = run_owner(run)
    if owner.state != "gone":
        return False
    host, pid = this_process()
    now = utcnow()
    last_alive = (owner.heartbeat_at or now) + HEARTBEAT_EVERY
    safe_at = max(now, last_alive + late_write)
    dead = f"{owner.host}:{owner.pid}:"
    with write_transaction():
        changed = (
            Run.update(owner_host=host, owner_pid=pid, heartbeat_at=now)
            .where(
                (Run.id == run.id)
                & (Run.owner_host == owner.host)
                & (Run.owner_pid == owner.pid)
                & Run.status.in_(("pending", "running"))
            )
            .execute()
        )
        if not changed:
            return False
        RunBatch.update(
            status="pending",
            lease_owner="",
            lease_expires_at=None,
            not_before=safe_at if safe_at > now else None,
            updated_at=now,
        ).where(
            (RunBatch.run == run.id)
            & (RunBatch.status == "leased")
            & RunBatch.lease_owner.startswith(dead)
        ).execute()
        expires = safe_at - CLAIM_TTL
        for table in (CustomerLink, AccountLink):
            table.update(claimed_at=expires).where(
                (table.state == "creating")
                & table.claim_owner.startswith(dead)
                & (table.claimed_at > expires)
            ).execute()
    return True
