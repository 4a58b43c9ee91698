"""The TUI's one door to plentysync: blocking, typed calls returning frozen views.

Screens call these only from thread workers, never from the event loop, and never touch a
peewee model: every answer is a frozen dataclass. This is the only module of ``tui`` that
imports ``core`` or ``worker``; errors come out as the core's ``PlentysyncError`` with the
CLI's wording, which the app shows as a one-line toast.

Modes (shown in the header): ``workers`` with Redis, ``attached`` when another
``plentysync serve`` holds this data directory's lock, ``embedded`` otherwise (the TUI then
runs the single-host worker and scheduler in its own threads), ``viewer`` by request.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Literal

from core.db import init_database
from core.db.models import Profile, Run, utcnow
from core.errors import ConfigError, PlentysyncError
from core.export.runs import RUN_OPEN, RunOptions
from core.export.service import refuse_in_blackout, start_export
from core.operations.health import Status, safe_database_url
from core.profiles.service import check_runnable, get_profile
from core.services.dashboard import Dashboard, build_dashboard
from core.services.explain import Explanation, explain
from core.services.ids import parse_entity_ids
from core.services.profiles import pause_profile, resume_profile
from core.services.progress import RunProgress, run_progress
from core.services.runs import RunFilter, RunSummary, list_runs, run_summary
from core.services.runs import cancel_run as cancel_open_run
from core.settings import get_settings
from core.tools.estimate import estimate_export

__all__ = [
    "Dashboard",
    "EmbeddedWorker",
    "Explanation",
    "Mode",
    "PlentysyncError",
    "ProfileChoice",
    "RunProgress",
    "RunRequest",
    "RunSummary",
    "Services",
    "StartedRun",
]

log = logging.getLogger(__name__)

Mode = Literal["workers", "embedded", "attached", "viewer"]
Executor = Literal["inline", "serve", "embedded", "workers"]


@dataclass(frozen=True)
class ProfileChoice:
    """A profile for the command palette and the run dialog."""

    id: int
    name: str


@dataclass(frozen=True)
class RunRequest:
    """What the run dialog asks for; ``entity_ids`` as typed (``1-5,9``), empty for all."""

    entity_ids: str = ""
    new_only: bool = False
    force: bool = False
    dry_run: bool = False
    limit: int | None = None
    ignore_blackout: bool = False


@dataclass(frozen=True)
class StartedRun:
    """A run that was created, and who works it."""

    run_id: int
    executor: Executor


@dataclass(frozen=True)
class DryRunSummary:
    """What a dry run found, counted by action."""

    profile: str
    live: bool
    counts: tuple[tuple[str, int], ...]
    not_looked_at: int


def parse_ids(text: str) -> list[int]:
    """``1-5,9`` into the ids it names; an ``InputError`` says how to write them."""
    return list(parse_entity_ids(text).ids)


class EmbeddedWorker:
    """The single-host worker and scheduler, run in threads of the TUI's process."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        from worker.serve import serve

        def work() -> None:
            try:
                serve(self._stop)
            except BaseException as exc:  # shown in the header, logged with its traceback
                log.exception("the embedded worker stopped")
                self.error = exc

        self._thread = threading.Thread(target=work, name="embedded-serve", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float) -> bool:
        """Ask the worker to stop; True when it did within ``timeout`` seconds."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()


class Services:
    """Everything the TUI reads and does, for one mode chosen at start."""

    def __init__(self, *, viewer: bool = False) -> None:
        self.viewer = viewer
        self.embedded: EmbeddedWorker | None = None
        self._mode: Mode | None = None

    # -- start and stop --------------------------------------------------------------------

    def open(self) -> Mode:
        """Open the database and decide the mode; the first call a screen makes."""
        init_database(announce=False)
        self._mode = self.detect_mode()
        return self._mode

    def detect_mode(self) -> Mode:
        if self.viewer:
            return "viewer"
        if get_settings().redis_url:
            return "workers"
        if self.embedded is not None and self.embedded.running:
            return "embedded"
        return "attached" if _serve_running() else "embedded"

    @property
    def mode(self) -> Mode:
        return self._mode or self.detect_mode()

    @property
    def can_act(self) -> bool:
        return self.mode != "viewer"

    def start_embedded(self) -> bool:
        """In embedded mode, start the worker and scheduler here; False in any other mode."""
        if self.mode != "embedded" or self.embedded is not None:
            return False
        self.embedded = EmbeddedWorker()
        self.embedded.start()
        return True

    def stop_embedded(self, timeout: float) -> bool:
        """Stop the embedded worker within ``timeout`` seconds; True when it stopped cleanly."""
        if self.embedded is None:
            return True
        return self.embedded.stop(timeout)

    # -- reading ---------------------------------------------------------------------------

    def database_label(self) -> str:
        url = get_settings().resolved_database_url
        return url.split(":", 1)[0].replace("postgresql", "postgres")

    def status(self, now: dt.datetime | None = None) -> Status:
        """What ``plentysync status`` reads, with this deployment's workers and budgets."""
        from worker.watchdog import current_status

        return current_status(now=now)

    def dashboard(self, now: dt.datetime | None = None) -> Dashboard:
        """One dashboard poll: what ``plentysync status`` reads, plus states and sparklines."""
        moment = now or utcnow()
        return build_dashboard(self.status(moment), moment)

    def run_progress(self, run_id: int, now: dt.datetime | None = None) -> RunProgress:
        return run_progress(run_id, now or utcnow())

    def explain(self, profile_id: int, now: dt.datetime | None = None) -> Explanation:
        from worker.heartbeat import live_workers

        workers = bool(live_workers()) or (self.embedded is not None and self.embedded.running)
        return explain(profile_id, mode=self.mode, workers_alive=workers, now=now or utcnow())

    def profiles(self) -> list[ProfileChoice]:
        return [ProfileChoice(p.id, p.name) for p in Profile.select().order_by(Profile.name)]

    def recent_runs(self, limit: int = 20) -> list[RunSummary]:
        return list_runs(RunFilter(limit=limit))

    def run_summary(self, run_id: int) -> RunSummary:
        return run_summary(run_id)

    def open_runs(self) -> list[int]:
        """Runs this process works (embedded) that are still open: the quit guard's count."""
        if self.embedded is None or not self.embedded.running:
            return []
        return [r.id for r in Run.select(Run.id).where(Run.status.in_(RUN_OPEN))]

    def runnable_problems(self, profile_id: int) -> list[str]:
        return [str(p) for p in check_runnable(get_profile(profile_id))]

    def estimate(self, profile_id: int, request: RunRequest) -> str:
        """The ETA of the run the dialog describes, at the client's budget."""
        profile = get_profile(profile_id)
        if request.entity_ids.strip():
            customers = len(parse_ids(request.entity_ids))
        else:
            last = (
                Run.select(Run.total)
                .where((Run.profile == profile.id) & (Run.total > 0))
                .order_by(Run.id.desc())
                .first()
            )
            customers = last.total if last else 0
            if not customers:
                return "no estimate yet: no run of this profile has counted its customers"
        if request.limit is not None:
            customers = min(customers, request.limit)
        return estimate_export(profile, customers).describe()

    # -- acting ----------------------------------------------------------------------------

    def _refuse_in_viewer(self) -> None:
        if not self.can_act:
            raise ConfigError("viewer mode: the TUI changes nothing")

    def run_options(self, request: RunRequest) -> RunOptions:
        ids = parse_ids(request.entity_ids) if request.entity_ids.strip() else None
        return RunOptions(
            entity_ids=ids,
            new_only=request.new_only,
            force=request.force,
            limit=request.limit,
            guests=request.limit is None and ids is None,
        )

    def start_run(self, profile_id: int, request: RunRequest) -> StartedRun:
        """Create a run and hand it to whoever works runs in this mode."""
        self._refuse_in_viewer()
        profile = get_profile(profile_id)
        options = self.run_options(request)
        if not request.ignore_blackout:
            refuse_in_blackout(profile)
        run = start_export(profile, options, "manual")
        mode = self.mode
        if mode == "workers":
            from worker.broker import setup_broker
            from worker.courier import Courier, DramatiqExecutor

            DramatiqExecutor(Courier(setup_broker())).submit(run)
            return StartedRun(run.id, "workers")
        if mode == "embedded" and self.embedded is not None and self.embedded.running:
            from worker.actors import broker
            from worker.courier import Courier, DramatiqExecutor

            DramatiqExecutor(Courier(broker)).submit(run)
            return StartedRun(run.id, "embedded")
        # Another serve holds the lock: its sweeper sends the enumeration of a pending run.
        return StartedRun(run.id, "serve")

    def dry_run(self, profile_id: int, request: RunRequest) -> DryRunSummary:
        """Preview the run the dialog describes; nothing is written."""
        from core.tools.dryrun import dry_run
        from worker import shared_backends

        profile = get_profile(profile_id)
        report = dry_run(
            profile,
            self.run_options(request),
            limit=request.limit,
            mask=False,
            backends=shared_backends(),
        )
        return DryRunSummary(
            profile.name, report.live, tuple(report.counts().items()), report.not_looked_at
        )

    def cancel_run(self, run_id: int) -> RunSummary:
        """Cancel an open run; a run that is not open raises with its status."""
        self._refuse_in_viewer()
        return cancel_open_run(run_id)

    def resume_run(self, run_id: int) -> bool:
        """Open a stale, failed or cancelled run again and send its batches to the workers."""
        self._refuse_in_viewer()
        from worker.jobs import resume_run

        courier = None
        if self.mode == "workers":
            from worker.broker import setup_broker
            from worker.courier import Courier

            courier = Courier(setup_broker())
        elif self.embedded is not None and self.embedded.running:
            from worker.actors import broker
            from worker.courier import Courier

            courier = Courier(broker)
        return resume_run(run_id, courier)

    def set_paused(self, profile_id: int, paused: bool) -> None:
        self._refuse_in_viewer()
        (pause_profile if paused else resume_profile)(profile_id)


def _serve_running() -> bool:
    from worker.heartbeat import live_workers

    return bool(live_workers())


def database_name() -> str:
    """The database URL without its password."""
    return safe_database_url(get_settings().resolved_database_url)
