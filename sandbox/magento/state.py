"""The emulator's mutable state: current settings, dataset, issued tokens, call counts."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from sandbox.data import DEMO_LAYOUT, Dataset, DatasetConfig, ImportedShop
from sandbox.magento.config import MagentoSandboxConfig
from sandbox.magento.search import Paging, ResultCache


class SandboxState:
    """Shared by every request of one emulator app."""

    def __init__(
        self,
        config: MagentoSandboxConfig,
        clock: Callable[[], datetime] | None = None,
        imported: ImportedShop | None = None,
    ) -> None:
        self.initial = config
        self.config = config
        dataset_config = DatasetConfig(
            customers=config.customers,
            seed=config.seed,
            dirty_share=config.dirty_share,
            orders=config.orders,
        )
        self.dataset = (
            Dataset(dataset_config, clock, imported)
            if clock
            else Dataset(dataset_config, imported=imported)
        )
        self.layout = imported.layout if imported is not None else DEMO_LAYOUT
        self.search_cache = ResultCache()
        self.calls: Counter[tuple[str, int]] = Counter()
        self._admin_tokens: dict[str, float] = {}
        self.nonces: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    @property
    def paging(self) -> Paging:
        c = self.config
        return Paging(c.past_end, c.input_limits, c.max_page_size, c.default_page_size)

    def issue_admin_token(self) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._admin_tokens[token] = time.monotonic() + self.config.admin_token_lifetime_seconds
        return token

    def admin_token_valid(self, token: str) -> bool:
        expires = self._admin_tokens.get(token)
        return expires is not None and time.monotonic() < expires

    def count_call(self, route: str, status: int) -> None:
        with self._lock:
            self.calls[(route, status)] += 1

    def reset(self) -> None:
        """Back to the state at start: settings, data, tokens, nonces and counts."""
        with self._lock:
            self.config = self.initial
            self.calls.clear()
            self._admin_tokens.clear()
            self.nonces.clear()
        self.dataset.reset()
