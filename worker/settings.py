"""How the workers, the sweeper and the scheduler behave, from ``PLENTYSYNC_WORKER_*`` variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
