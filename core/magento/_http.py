"""The HTTP conversation with one shop: throttled, authenticated, retried, typed errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from core.backoff import equal_jitter
from core.errors import DataError, RateLimitedError, TransientError
from core.magento._auth import auth_for
from core.magento._config import MagentoConfig
from core.magento._responses import decode_json, error_for
from core.magento._search import Search
from core.magento._throttle import SourceGate, gate_for
from core.validation import bare_url

log = logging.getLogger("core.magento")

Params = Sequence[tuple[str, str]]


class MagentoHttp:
    """GETs JSON from ``/rest/<scope>/V1/...`` within the source's limits.

    Transient failures (network errors, 408/5xx, bodies that are not JSON) and 429s are
    retried ``max_attempts`` times in all, with exponential backoff or the shop's
    ``Retry-After``. A 429 that outlives them raises ``RateLimitedError``, so the batch waits
    without spending an attempt. Everything else raises at once as the matching error of
    ``core.errors``.
    """

    def __init__(
        self,
        config: MagentoConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        gate: SourceGate | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.gate = gate or gate_for(
            config.throttle_key, config.max_concurrency, config.min_interval
        )
        self._sleep = sleep
        self._calls = 0
        self._calls_lock = threading.Lock()
        self._client = httpx.Client(
            auth=auth_for(config.credentials, config.rest_root),
            transport=transport,
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            headers={"Accept": "application/json", "User-Agent": "plentysync"},
            limits=httpx.Limits(max_connections=config.max_concurrency),
        )

    def get(self, path: str, params: Params = ()) -> Any:
        """The decoded JSON of ``GET <rest root>/<path>``."""
        url = f"{self.config.rest_root}/{path.lstrip('/')}"
        what = f"GET {path.split('?')[0]}"
        attempts = self.config.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return self._get_once(url, params, what)
            except (TransientError, RateLimitedError) as exc:
                delay = self._delay(exc, attempt)
                if attempt == attempts or delay is None:
                    raise
                log.info(
                    "Magento %s failed (attempt %d of %d), retrying in %.1f s: %s",
                    what,
                    attempt,
                    attempts,
                    delay,
                    exc,
                )
                self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @property
    def calls(self) -> int:
        """Requests sent so far, retries included (login requests not counted)."""
        return self._calls

    def search(self, path: str, search: Search) -> tuple[list[dict[str, Any]], int | None]:
        """One page of a Magento search endpoint: its items and ``total_count``."""
        data = self.get(path, search.params())
        items = data.get("items") if isinstance(data, dict) else None
        if items is None and isinstance(data, dict) and "total_count" in data:
            items = []  # a ``fields`` projection drops an empty ``items`` list
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise DataError(f"Magento's answer to GET {path} is not a list of search results")
        total = data.get("total_count")
        return items, total if isinstance(total, int) else None

    def _get_once(self, url: str, params: Params, what: str) -> Any:
        with self.gate.request_slot():
            with self._calls_lock:
                self._calls += 1
            try:
                response = self._client.get(url, params=list(params))
            except httpx.TransportError as exc:
                where = bare_url(self._client.build_request("GET", url).url)
                raise TransientError(
                    f"Magento {what} failed at {where}: {type(exc).__name__}"
                ) from exc
        log.debug("Magento %s -> %d", what, response.status_code)
        if response.is_error:
            raise error_for(response, what)
        return decode_json(response, what)

    def _delay(self, exc: TransientError | RateLimitedError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt; None when the wait is too long to sleep."""
        if isinstance(exc, RateLimitedError):
            asked: object = exc.retry_after if exc.asked else None
        else:
            asked = exc.detail.get("retry_after")
        if isinstance(asked, float | int):
            return float(asked) if asked <= self.config.max_retry_after else None
        return equal_jitter(attempt, self.config.backoff_base, self.config.backoff_max)

    def close(self) -> None:
        self._client.close()
