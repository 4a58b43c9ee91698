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
from dataclasses import dataclass
from typing import Literal

from core.db import init_database
from core.db.models import Profile, Run, utcnow
from core.errors import ConfigError, PlentysyncError
from core.export.runs import RUN_OPEN, RunOptions
from core.export.service import refuse_in_blackout
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
from tui.services_connections import ConnectionsFacade
from tui.services_customers import CustomersFacade
from tui.services_profiles import ProfilesFacade
from tui.services_queue import QueueBoard, Queued, QueueFacade
from tui.services_runs import CustomerPlan, DryRunPlan, RunDetail, RunsFacade
from tui.services_served import RunReport, ServedFacade
from worker.deployment import Deployment, EmbeddedService, StartedRun, choose_deployment

__all__ = [
    "CustomerPlan",
    "Dashboard",
    "DryRunPlan",
    "EmbeddedService",
    "Explanation",
    "Mode",
    "PlentysyncError",
    "ProfileChoice",
    "QueueBoard",
    "Queued",
    "RunDetail",
    "RunFilter",
    "RunProgress",
    "RunReport",
    "RunRequest",
    "RunSummary",
    "Services",
    "StartedRun",
]

log = logging.getLogger(__name__)

Mode = Literal["workers", "embedded", "attached", "viewer"]


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
    live: bool = False  # a dry run that also reads each contact as PlentyONE holds it now


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


class Services(
    RunsFacade, QueueFacade, ProfilesFacade, ConnectionsFacade, CustomersFacade, ServedFacade
):
    """Everything the TUI reads and does, for one mode chosen at start.

    The runs/history and dry-run plan calls live in ``tui.services_runs``, the queue's in
    ``tui.services_queue``, the connections' forms in ``tui.services_connections``, the
    customer lookup in ``tui.services_customers`` and the served TUI's downloads in
    ``tui.services_served``; they are mixed in here so screens see one façade.
    """

    def __init__(self, *, viewer: bool = False) -> None:
        self.viewer = viewer
        self.embedded: EmbeddedService | None = None
        self._deployment: Deployment | None = None
        self._mode: Mode | None = None

    # -- start and stop --------------------------------------------------------------------

    @property
    def deployment(self) -> Deployment:
        if self._deployment is None:
            self._deployment = choose_deployment()
        return self._deployment

    def open(self) -> Mode:
        """Open the database and decide the mode; the first call a screen makes."""
        init_database(announce=False)
        self._mode = self.detect_mode()
        return self._mode

    def detect_mode(self) -> Mode:
        if self.viewer:
            return "viewer"
        if self.deployment.kind == "redis":
            return "workers"
        return "attached" if self.deployment.serve_running() else "embedded"

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
        service = self.deployment.embedded()
        try:
            service.start()
        except ConfigError as exc:  # another serve took the lock meanwhile
            log.warning("embedded worker not started: %s", exc)
            self._mode = self.detect_mode()
            return False
        self.embedded = service
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

        return current_status(self.deployment, now=now)

    def dashboard(self, now: dt.datetime | None = None) -> Dashboard:
        """One dashboard poll: what ``plentysync status`` reads, plus states and sparklines."""
        moment = now or utcnow()
        return build_dashboard(self.status(moment), moment)

    def run_progress(self, run_id: int, now: dt.datetime | None = None) -> RunProgress:
        return run_progress(run_id, now or utcnow())

    def explain(self, profile_id: int, now: dt.datetime | None = None) -> Explanation:
        workers = bool(self.deployment.live_workers())
        return explain(profile_id, mode=self.mode, workers_alive=workers, now=now or utcnow())

    def profiles(self) -> list[ProfileChoice]:
        return [ProfileChoice(p.id, p.name) for p in Profile.select().order_by(Profile.name)]

    def recent_runs(self, limit: int = 20) -> list[RunSummary]:
        return list_runs(RunFilter(limit=limit))

    def run_summary(self, run_id: int) -> RunSummary:
        return run_summary(run_id)

    def open_runs(self) -> list[int]:
        """Open runs while this process works them (embedded): the quit guard's count."""
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
        """Create a run through the deployment; it goes to whoever works runs in this mode.

        A run the TUI would have to work inline (no worker of any kind) is refused instead:
        the screen must not block on it.
        """
        self._refuse_in_viewer()
        options = self.run_options(request)
        if not request.ignore_blackout:
            refuse_in_blackout(get_profile(profile_id))
        if self.deployment.executor() == "inline":
            raise ConfigError(
                "no worker runs for this data directory: start 'plentysync serve', or let "
                "the TUI run its own worker (embedded mode)"
            )
        return self.deployment.start_run(profile_id, options, trigger="manual")

    def dry_run(self, profile_id: int, request: RunRequest) -> DryRunSummary:
        """Preview the run the dialog describes; nothing is written."""
        from core.tools.dryrun import dry_run

        profile = get_profile(profile_id)
        report = dry_run(
            profile,
            self.run_options(request),
            limit=request.limit,
            mask=False,
            backends=self.deployment.work_backends(),
        )
        return DryRunSummary(
            profile.name, report.live, tuple(report.counts().items()), report.not_looked_at
        )

    def cancel_run(self, run_id: int) -> RunSummary:
        """Cancel an open run; a run that is not open raises with its status."""
        self._refuse_in_viewer()
        return cancel_open_run(run_id)

    def resume_run(self, run_id: int) -> str:
        """Open a stale, failed or cancelled run again; says who works it now."""
        self._refuse_in_viewer()
        executor = self.deployment.resume_run(run_id)
        if executor is None:
            raise ConfigError(f"run {run_id}: only stale, failed or cancelled runs resume")
        return executor

    def set_paused(self, profile_id: int, paused: bool) -> None:
        self._refuse_in_viewer()
        (pause_profile if paused else resume_profile)(profile_id)


def database_name() -> str:
    """The database URL without its password."""
    return safe_database_url(get_settings().resolved_database_url)
