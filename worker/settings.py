"""How the workers, the sweeper and the scheduler behave, and the one settings object per process.

``WorkerSettings`` reads ``PLENTYSYNC_WORKER_*`` variables; ``ProcessSettings`` bundles it with
the core, health, notify and metrics settings so a process reads them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.operations.settings import HealthSettings, NotifySettings
from core.settings import Settings, get_settings


class WorkerSettings(BaseSettings):
    """Process counts, leases and timings of the production processes.

    Defaults, and what they switch:

    * ``processes`` 2 and ``threads`` 4: what ``plentysync worker`` starts dramatiq with.
    * ``lease_s`` 60: a live worker renews its batch's lease every third of this; the batch
      of a worker that died is re-sent by the sweeper this long after the last renewal, and
      a batch nobody took is re-sent after as long (its message was lost).
    * ``stale_after_s`` 1800: a running run without any progress this long is marked stale.
    * ``sweep_interval_s`` 30 and ``tick_s`` 10: how often the scheduler process sweeps and
      looks for due schedules.
    * ``lock_ttl_s`` 30: the scheduler's leader lock lives this long unless renewed; a
      standby scheduler takes over at most this long after the leader died.
    * ``redis_namespace`` "plentysync": prefix of every Redis key (broker, budget, token, lock).
    * ``plenty_window_s`` unset: the PlentyONE rate period; only emulators need a short one.
    * ``park_delay_s`` 90: an entity whose write timed out is looked up again this much later.
    * ``claim_ttl_s`` 600: a create claim of a worker that died is taken over after this long.
    * ``batch_s`` 300: a batch message gives its remaining customers back (between two
      customers, never inside a write) once it has run this long; it is sent again at once.
    """

    model_config = SettingsConfigDict(
        env_prefix="PLENTYSYNC_WORKER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    processes: int = Field(default=2, ge=1, le=64)
    threads: int = Field(default=4, ge=1, le=64)
    lease_s: float = Field(default=60.0, gt=0)
    stale_after_s: float = Field(default=1800.0, gt=0)
    sweep_interval_s: float = Field(default=30.0, gt=0)
    tick_s: float = Field(default=10.0, gt=0)
    lock_ttl_s: float = Field(default=30.0, gt=0)
    redis_namespace: str = Field(default="plentysync", min_length=1)
    plenty_window_s: float | None = Field(default=None, gt=0)
    park_delay_s: float = Field(default=90.0, ge=0)
    claim_ttl_s: float = Field(default=600.0, gt=0)
    batch_s: float = Field(default=300.0, gt=0)


@lru_cache(maxsize=1)
def get_worker_settings() -> WorkerSettings:
    """The worker settings of this process, read once."""
    return WorkerSettings()


def reset_worker_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_worker_settings.cache_clear()


class MetricsSettings(BaseSettings):
    """Where the workers' metrics are served; ``port`` unset turns them off."""

    model_config = SettingsConfigDict(
        env_prefix="PLENTYSYNC_METRICS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    port: int | None = Field(default=None, ge=1, le=65535)
    host: str = "127.0.0.1"


@dataclass(frozen=True)
class ProcessSettings:
    """Every settings object of one process, read once when it starts and handed down.

    The deployment carries it to what needs a part: the workers and scheduler (``worker``),
    ``plentysync status`` and the watchdog (``health``), alert mails (``notify``) and the
    metrics port (``metrics``). Nothing builds a settings class where it is used.
    """

    core: Settings
    worker: WorkerSettings
    health: HealthSettings
    notify: NotifySettings
    metrics: MetricsSettings


_read: ProcessSettings | None = None


def process_settings() -> ProcessSettings:
    """This process's settings, read from the environment once and then kept.

    They are read again only after ``reset_settings`` or ``reset_worker_settings`` (tests
    change the environment), so the parts never disagree about which environment they saw.
    """
    global _read
    core, worker = get_settings(), get_worker_settings()
    if _read is None or _read.core is not core or _read.worker is not worker:
        _read = ProcessSettings(core, worker, HealthSettings(), NotifySettings(), MetricsSettings())
    return _read
