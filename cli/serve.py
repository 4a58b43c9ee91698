"""``plentysync serve``, ``plentysync worker`` and ``plentysync scheduler``: the processes."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Annotated

import typer

from core.errors import ConfigError
from worker.deployment import choose_deployment
from worker.serve import run_scheduler
from worker.serve import serve as serve_forever
from worker.supervisor import supervise


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handle(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop


def serve(
    threads: Annotated[
        int | None, typer.Option(help="Worker threads (default from settings).")
    ] = None,
) -> None:
    """Run workers and the scheduler in this process (single host, no Redis needed)."""
    serve_forever(_stop_on_signals(), threads=threads)


def worker(
    processes: Annotated[
        int | None, typer.Option(help="Default: PLENTYSYNC_WORKER_PROCESSES.")
    ] = None,
    threads: Annotated[int | None, typer.Option(help="Default: PLENTYSYNC_WORKER_THREADS.")] = None,
) -> None:
    """Run Dramatiq worker processes on the Redis broker (production, any number of hosts).

    One worker process dying does not stop the command: Dramatiq is started again and the
    batch that process held is sent again when its lease expires.
    """
    deployment = choose_deployment()
    if deployment.kind != "redis":
        # On an in-memory broker the workers would wait for messages no other process can send.
        raise ConfigError(
            "the worker process needs PLENTYSYNC_REDIS_URL; on a single host run "
            "'plentysync serve', which works the exports itself"
        )
    settings = deployment.settings.worker
    argv = [
        sys.executable,
        "-m",
        "dramatiq",
        "worker.actors",
        "--processes",
        str(processes or settings.processes),
        "--threads",
        str(threads or settings.threads),
    ]
    raise typer.Exit(supervise(argv, _stop_on_signals()))


def scheduler() -> None:
    """Run a scheduler: it fires schedules while it leads (Redis lock) and sweeps lost work."""
    run_scheduler(_stop_on_signals())


def register(app: typer.Typer) -> None:
    """Add the process commands to the top-level ``plentysync`` command."""
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("scheduler")(scheduler)
