"""What exporting a batch needs, handed in by the executor: clients, context, run settings."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from core.export.preload import BatchLinks
from core.export.runs import RunOptions
from core.magento import MagentoSource
from core.mapping import MappingContext
from core.plenty import PlentyClient

# How long PlentyONE may still apply a write our client gave up on, and how long a create claim
# of a process that stopped answering holds before another may take it over.
PARK_DELAY = dt.timedelta(seconds=90)
CLAIM_TTL = dt.timedelta(minutes=10)


@dataclass
class ExportDeps:
    """One worker's view of one run: its clients and the rules of the run.

    ``park_delay`` must exceed the time PlentyONE may still apply a write after our client
    gave up on it, so a parked entity is looked up only after any late write has landed.

    ``owner`` holds leases and is new for every worker and attempt; ``claim_owner`` holds
    create claims and stays the same for every attempt at one batch of the run, so the next
    attempt takes over the claims its predecessor left instead of waiting for ``claim_ttl``.
    """

    plenty: PlentyClient
    magento: MagentoSource
    ctx: MappingContext
    run_id: int
    client_id: int
    options: RunOptions
    owner: str
    history: bool = True
    use_index: bool = False
    park_delay: dt.timedelta = PARK_DELAY
    claim_ttl: dt.timedelta = CLAIM_TTL
    max_batch_attempts: int = 5
    # A monotonic moment after which a batch gives its remaining entities back between two
    # entities (never inside a write), to be sent again at once; None: no limit.
    deadline: float | None = None

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    claim_owner: str = ""
    # The run item (entity type, key) of the entity being exported now, which its writes
    # record their provisional result under; None outside a run's batch.
    entity: tuple[str, str] | None = None
    # The link rows of the batch being worked, read up front (``core.export.preload``).
    batch_links: BatchLinks | None = None

    @property
    def claimant(self) -> str:
        """Who the create claims taken now belong to."""
        return self.claim_owner or self.owner

    @property
    def namespace(self) -> str:
        return self.ctx.namespace
