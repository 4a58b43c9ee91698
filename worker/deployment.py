"""The deployment: single host or Redis, decided once, and everything that depends on it.

``choose_deployment`` is the one place that looks at ``PLENTYSYNC_REDIS_URL``. The
``Deployment`` it returns knows, for its kind:

=================  ==========================================  ==================================
                   single host                                 Redis
=================  ==========================================  ==================================
broker             in memory, worked inside ``serve``           Redis, worked by ``worker``
token              the database                                Redis (``worker.backends``)
budget             in the one process that works exports       Redis (``worker.backends``)
leadership         always (``serve`` holds a file lock)         redis-py ``Lock`` (``leader``)
heartbeat          none: ``serve``'s file lock says it runs     a key per worker process
=================  ==========================================  ==================================

and ``start_run``, the one way a front end starts an export: sent to the Redis workers
("workers"), handed to this process's embedded service ("embedded"), left to another
process's ``plentysync serve`` ("serve"), or else worked here until it ends ("inline").
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import dramatiq
import redis
from filelock import FileLock, Timeout

from core.db.connection import database
from core.db.models import Profile, Run, utcnow
from core.errors import ConfigError
from core.export.connections import Backends
from core.export.deps import ExportDeps
from core.export.executor import InlineExecutor
from core.export.inline import Progress
from core.export.runs import RunOptions
from core.export.service import open_deps, start_export, worker_name
from core.files import private_dir
from core.operations.budget import BudgetReader
from core.plenty import DatabaseBudgetBackend, PublishedMemoryBudget
from core.profiles.service import get_profile
from worker import jobs
from worker.backends import redis_backends, redis_client
from worker.broker import memory_broker, redis_broker
from worker.courier import Courier
from worker.heartbeat import Heartbeat, WorkerInfo, heartbeat_prefix, heartbeat_workers
from worker.leader import Leadership, RedisLeadership, SoleLeadership
from worker.metrics import exchange_hooks
from worker.routes import declare_actors
from worker.scheduler import Scheduler
from worker.serve_lock import held_elsewhere, lock_path, serve_lock
from worker.settings import ProcessSettings, process_settings
from worker.sweeper import sweep
from worker.watchdog import watch_over

log = logging.getLogger(__name__)

DeploymentKind = Literal["single-host", "redis"]
# A pending run this old that this serve did not send was left to it by another process.
ADOPT_AFTER = dt.timedelta(seconds=2)
ExecutorKind = Literal["inline", "serve", "embedded", "workers"]


@dataclass(frozen=True)
class StartedRun:
    """A run a front end started, and who works it."""

    run_id: int
    executor: ExecutorKind


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C while an inline run was being worked; ``run_id`` says which run stopped."""

    def __init__(self, run_id: int) -> None:
        super().__init__(run_id)
        self.run_id = run_id


def choose_deployment(settings: ProcessSettings | None = None) -> Deployment:
    """Single host without ``PLENTYSYNC_REDIS_URL``, Redis with it: the one place that decides."""
    chosen = settings or process_settings()
    url = chosen.core.redis_url
    return RedisDeployment(chosen, url) if url else SingleHostDeployment(chosen)


class Deployment(ABC):
    """What this process's deployment kind decides; build it with ``choose_deployment``.

    ``SingleHostDeployment`` and ``RedisDeployment`` each answer for their kind, so no
    caller branches on it. A deployment object makes its broker once; a front end keeps
    one for its lifetime (the TUI's embedded service belongs to it).
    """

    kind: DeploymentKind
    # Whether the broker starts empty in each process (in memory): then a starting service
    # sends at once whatever an earlier one or the CLI left open.
    broker_starts_empty: bool

    def __init__(self, settings: ProcessSettings) -> None:
        self._settings = settings
        self._broker: dramatiq.Broker | None = None
        self._making = threading.Lock()
        # Runs whose enumeration this process sent (its couriers report them).
        self._sent: set[int] = set()

    @property
    def settings(self) -> ProcessSettings:
        return self._settings

    @property
    def namespace(self) -> str:
        return self._settings.worker.redis_namespace

    # What the exports share.

    @abstractmethod
    def backends(self) -> Backends:
        """Where exports share PlentyONE's token and budget."""

    def work_backends(self) -> Backends:
        """Where the exports this process works spend the budget (``backends`` unless one
        process is all that spends it)."""
        return self.backends()

    def budget_reader(self) -> BudgetReader:
        """Where ``status`` and the metrics read the budget state."""
        budget = self.backends().budget
        return budget if budget is not None else DatabaseBudgetBackend()  # type: ignore[return-value]

    # Messages.

    @abstractmethod
    def _make_broker(self) -> dramatiq.Broker: ...

    def broker(self) -> dramatiq.Broker:
        """This deployment's broker, made on first use; its actors are declared."""
        with self._making:
            if self._broker is None:
                broker = self._make_broker()
                declare_actors(broker, self.courier)
                self._broker = broker
        return self._broker

    def install_broker(self) -> dramatiq.Broker:
        """The broker of a process that works messages: with the heartbeat, and installed as
        Dramatiq's global broker of the process."""
        broker = self.broker()
        heartbeat = self.heartbeat()
        if heartbeat is not None:
            broker.add_middleware(heartbeat)
        dramatiq.set_broker(broker)
        return broker

    def courier(self) -> Courier:
        """Sends messages through this deployment's broker; its jobs use its backends."""
        return Courier(self.broker(), self.work_backends(), on_enumerate=self._sent.add)

    def sent_here(self, run_id: int) -> bool:
        """Whether this process sent the run's enumeration (through one of its couriers)."""
        return run_id in self._sent

    # Who works and who leads.

    @abstractmethod
    def heartbeat(self) -> Heartbeat | None:
        """The heartbeat middleware of a worker process, if this kind has heartbeats."""

    @abstractmethod
    def leadership(self) -> Leadership:
        """Whether this process's scheduler may fire schedules."""

    @abstractmethod
    def live_workers(self) -> list[WorkerInfo]:
        """The workers alive now."""

    def serve_lock(self) -> FileLock:
        """The lock that keeps one ``serve`` (or embedded service) per data directory."""
        return serve_lock(self._settings.core.home)

    def serve_running(self) -> bool:
        """Another process's ``plentysync serve`` holds the serve lock of this data directory."""
        return held_elsewhere(self._settings.core.home)

    def scheduler(self, courier: Courier) -> Scheduler:
        """A scheduler over ``courier`` that leads as this deployment allows, and watches."""
        return Scheduler(
            courier, self.leadership(), self._settings.worker, watch=lambda: watch_over(self)
        )

    def service(self, threads: int | None = None) -> EmbeddedService:
        """The worker and scheduler ``plentysync serve`` runs in its process."""
        return EmbeddedService(self, threads)

    def embedded(self, threads: int | None = None) -> EmbeddedService:
        """The single-host worker and scheduler of this process (single host only)."""
        raise ConfigError(
            "with PLENTYSYNC_REDIS_URL the exports are worked by 'plentysync worker' "
            "processes; an embedded service is for a single host"
        )

    # Starting work.

    @abstractmethod
    def executor(self) -> ExecutorKind:
        """Who would work a run started now."""

    @abstractmethod
    def _courier_for(self, executor: ExecutorKind) -> Courier | None:
        """The courier that hands a run to ``executor`` (None: nobody is sent anything)."""

    def start_run(
        self,
        profile_ref: Profile | str | int,
        options: RunOptions,
        *,
        trigger: str = "manual",
        progress: Progress | None = None,
        inline: bool = False,
    ) -> StartedRun:
        """Create the run and see that it gets worked: the one way a front end starts one.

        "inline" works the run here and returns once it has ended (``progress`` is called
        as it goes; Ctrl-C raises ``RunInterrupted`` with the run's id); ``inline=True``
        asks for it whoever else could work the run. The other executors return at once
        with the run created and handed over; "serve" leaves it pending for that serve's
        sweeper.
        """
        profile = profile_ref if isinstance(profile_ref, Profile) else get_profile(profile_ref)
        executor: ExecutorKind = "inline" if inline else self.executor()
        run = start_export(profile, options, trigger)
        courier = None if executor == "inline" else self._courier_for(executor)
        if courier is not None:
            courier.enumerate(run.id)
        elif executor == "inline":
            try:
                InlineExecutor(self._inline_deps, progress=progress).submit(run)
            except KeyboardInterrupt:
                raise RunInterrupted(run.id) from None
        return StartedRun(run.id, executor)

    def _inline_deps(self, run: Run) -> ExportDeps:
        """What a run worked in this process uses."""
        return open_deps(run, backends=self.work_backends())

    def resume_run(self, run_id: int) -> ExecutorKind | None:
        """Open a stale, failed or cancelled run again for the workers or ``serve``.

        Returns who works it now, or None when the run is not one that resumes. A run that
        was worked inline is resumed inline by the CLI instead (``cli.inline_runs``).
        """
        executor = self.executor()
        courier = self._courier_for(executor)
        if not jobs.resume_run(run_id, courier):
            return None
        # Without a courier the run waits for serve's sweeper, running or started later.
        return executor if courier is not None else "serve"


class SingleHostDeployment(Deployment):
    """One host: in-memory broker inside ``serve``, the serve lock, the budget in this process.

    Exports on one host are worked by one process: the one holding the serve lock (``serve``
    or the TUI's embedded service; a CLI export then hands its run to it), or else the CLI
    process working it inline. That process paces every export in memory
    (``work_backends``), sparing the database a read and a write per PlentyONE call. The
    database budget stays for what other processes send (the operator tools, an inline
    export forced next to a running serve) and for ``status``; a 429 caused by one of them
    only slows the pace (``core/plenty/_slowdown.py``).
    """

    kind: DeploymentKind = "single-host"
    broker_starts_empty = True

    def __init__(self, settings: ProcessSettings) -> None:
        super().__init__(settings)
        self._embedded: EmbeddedService | None = None
        # The budget of every export this process works, shared by its threads.
        self._own_budget = PublishedMemoryBudget()

    def _running_here(self) -> bool:
        return self._embedded is not None and self._embedded.running

    def backends(self) -> Backends:
        return Backends(hooks=exchange_hooks())

    def _serving_here(self) -> bool:
        return self._embedded is not None and self._embedded.holds_lock

    def work_backends(self) -> Backends:
        if not self._serving_here() and self.serve_running():
            # Another process works exports (an inline one was forced next to it): share.
            return self.backends()
        return Backends(budget=self._own_budget, hooks=exchange_hooks())

    def budget_reader(self) -> BudgetReader:
        # The serve (or the TUI) shows the budget its own exports spend.
        return self._own_budget if self._serving_here() else super().budget_reader()

    def _make_broker(self) -> dramatiq.Broker:
        return memory_broker()

    def heartbeat(self) -> Heartbeat | None:
        return None  # serve's file lock says whether it runs

    def leadership(self) -> Leadership:
        return SoleLeadership()

    def serve_running(self) -> bool:
        return not self._running_here() and super().serve_running()

    def live_workers(self) -> list[WorkerInfo]:
        running = self._running_here() or self.serve_running()
        return [WorkerInfo("serve")] if running else []

    def service(self, threads: int | None = None) -> EmbeddedService:
        return self.embedded(threads)

    def embedded(self, threads: int | None = None) -> EmbeddedService:
        if self._embedded is None:
            self._embedded = EmbeddedService(self, threads)
        return self._embedded

    def executor(self) -> ExecutorKind:
        if self._running_here():
            return "embedded"
        return "serve" if self.serve_running() else "inline"

    def _courier_for(self, executor: ExecutorKind) -> Courier | None:
        if executor == "embedded" and self._embedded is not None:
            return self._embedded.courier
        return None


class RedisDeployment(Deployment):
    """Redis: its broker, budget and token, the leader ``Lock`` and worker heartbeats."""

    kind: DeploymentKind = "redis"
    broker_starts_empty = False

    def __init__(self, settings: ProcessSettings, url: str) -> None:
        super().__init__(settings)
        self.url = url

    def redis(self) -> redis.Redis:
        """The Redis connection pool of this process."""
        return redis_client(self.url)

    def backends(self) -> Backends:
        return redis_backends(self.redis(), self.namespace, exchange_hooks())

    def _make_broker(self) -> dramatiq.Broker:
        return redis_broker(self.url, self.namespace)

    def heartbeat(self) -> Heartbeat | None:
        ttl = self._settings.health.worker_ttl_s
        return Heartbeat(self.redis(), ttl, heartbeat_prefix(self.namespace))

    def leadership(self) -> Leadership:
        return RedisLeadership(
            self.redis(),
            f"{self.namespace}:scheduler-leader",
            owner=worker_name(),
            ttl=self._settings.worker.lock_ttl_s,
        )

    def live_workers(self) -> list[WorkerInfo]:
        return heartbeat_workers(self.redis(), heartbeat_prefix(self.namespace))

    def executor(self) -> ExecutorKind:
        return "workers"

    def _inline_deps(self, run: Run) -> ExportDeps:
        # Worked here all the same, it spends the budget the workers share.
        return open_deps(run, backends=self.backends())

    def _courier_for(self, executor: ExecutorKind) -> Courier | None:
        return self.courier()


class EmbeddedService:
    """The single-host worker and scheduler, in threads of this process.

    (``plentysync serve`` runs one with Redis too, as one more worker and scheduler.)

    ``start`` takes the serve lock (refusing when another ``serve`` holds it), starts the
    in-memory broker's worker threads and the scheduler, and sends at once what an earlier
    serve or the CLI left open. ``stop`` is bounded: a batch that waits for PlentyONE's
    budget can hold a worker thread for minutes, so after ``timeout`` seconds it returns
    False and leaves that thread to finish its customer in the background (the batch's lease
    keeps anyone else from working it twice; the serve lock is released once that thread has
    ended).
    """

    def __init__(self, deployment: Deployment, threads: int | None = None) -> None:
        self.deployment = deployment
        self.threads = threads or deployment.settings.worker.threads
        self._lock = deployment.serve_lock()
        self._stop = threading.Event()
        self._worker: dramatiq.Worker | None = None
        self._scheduler: threading.Thread | None = None
        self._courier: Courier | None = None
        self._adopter: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    @property
    def holds_lock(self) -> bool:
        """This service holds the serve lock (from ``start`` until its threads ended)."""
        return bool(self._lock.is_locked)

    @property
    def courier(self) -> Courier:
        if self._courier is None:
            raise ConfigError("the embedded service is not running")
        return self._courier

    def start(self, before: Callable[[], object] | None = None) -> None:
        """Start the worker threads and the scheduler; ConfigError if another serve runs.

        ``before`` runs once the lock is taken (``serve`` opens the database there).
        """
        if self.running:
            return
        home = self.deployment.settings.core.home
        private_dir(home)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise ConfigError(
                f"another 'plentysync serve' runs on this data directory (lock {lock_path(home)})"
            ) from None
        try:
            if before is not None:
                before()
            broker = self.deployment.install_broker()
            courier = self.deployment.courier()
            if self.deployment.broker_starts_empty:
                # Nothing can be in flight in a broker that just started empty: pick up at
                # once whatever an earlier serve or the CLI left open.
                sweep(courier, grace=dt.timedelta(0), stale_after=dt.timedelta(days=3650))
            worker = dramatiq.Worker(broker, worker_threads=self.threads)
            worker.start()
        except BaseException:
            self._lock.release()
            raise
        self._courier, self._worker = courier, worker
        self._stop.clear()
        scheduler = self.deployment.scheduler(courier)
        self._scheduler = threading.Thread(
            target=scheduler.run, args=(self._stop,), name="scheduler", daemon=True
        )
        self._scheduler.start()
        if self.deployment.broker_starts_empty:
            self._adopter = threading.Thread(target=self._adopt_loop, name="adopt", daemon=True)
            self._adopter.start()
        log.info("%d worker threads and the scheduler are running", self.threads)

    def adopt(self) -> list[int]:
        """Send the runs another process left to this serve (``start_run``'s "serve").

        Only this process can send on an in-memory broker, so a pending run it has not sent
        is nobody's: it is sent now instead of after the sweeper's grace period. A run made
        a moment ago may be one of ours whose message is on its way, so it gets a second;
        a run with an owner is an inline run of a CLI process, never taken.
        """
        recent = utcnow() - ADOPT_AFTER
        pending = Run.select().where(
            (Run.status == "pending") & (Run.created_at < recent) & Run.owner_host.is_null()
        )
        adopted = [run.id for run in pending if not self.deployment.sent_here(run.id)]
        for run_id in adopted:
            log.info("run %s was left to serve by another process: sent now", run_id)
            self.courier.enumerate(run_id)
        return adopted

    def _adopt_loop(self) -> None:
        try:
            while not self._stop.wait(self.deployment.settings.worker.tick_s):
                try:
                    self.adopt()
                except Exception:
                    log.exception("looking for runs left to serve failed; trying again")
        finally:
            database.close()

    def stop(self, timeout: float) -> bool:
        """Stop within ``timeout`` seconds; True when everything stopped cleanly in time."""
        worker, scheduler, adopter = self._worker, self._scheduler, self._adopter
        if worker is None:
            return True
        deadline = time.monotonic() + max(0.0, timeout)
        self._stop.set()
        for thread in (scheduler, adopter):
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        stopper = threading.Thread(
            target=self._stop_worker, args=(worker, left_ms), name="worker-stop", daemon=True
        )
        stopper.start()
        stopper.join(max(0.0, deadline - time.monotonic()))
        self._worker = self._scheduler = self._courier = self._adopter = None
        threads = [t for t in (stopper, scheduler, adopter) if t is not None]
        clean = not any(thread.is_alive() for thread in threads)
        if not clean:
            log.warning("the embedded service did not stop within %.0f s", timeout)
        return clean

    def _stop_worker(self, worker: dramatiq.Worker, timeout_ms: int) -> None:
        try:
            worker.stop(timeout=timeout_ms)
            # Dramatiq gives up waiting after the timeout; the lock is kept until the batch
            # still in a thread has ended, so no new serve starts beside it.
            for thread in worker.workers:
                thread.join()
        finally:
            self._lock.release()
