"""The PlentyONE REST client: governed, authenticated, retried calls with typed endpoint groups."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.fernet import MultiFernet

from core.errors import InfrastructureError, RateLimitedError, TransientError, WriteTimeoutError
from core.plenty import _retry
from core.plenty._auth import Rejections, Session
from core.plenty._budget_backends import BudgetBackend, MemoryBudgetBackend
from core.plenty._clock import Clock, SystemClock
from core.plenty._config import PlentyConfig
from core.plenty._endpoints_accounts import Accounts
from core.plenty._endpoints_addresses import Addresses
from core.plenty._endpoints_contacts import Contacts
from core.plenty._endpoints_reference import ReferenceData
from core.plenty._errors import body_of, error_for, message_of
from core.plenty._governor import FALLBACK_BLOCK, Governor, kind_of
from core.plenty._logging import ExchangeHook, build_record, emit
from core.plenty._tokens import MemoryTokenStore, TokenStore
from core.secrets import Secret
from core.validation import bare_url

log = logging.getLogger(__name__)

Params = Mapping[str, str | int | float | bool | None]


@dataclass(frozen=True)
class CallCounts:
    """API calls made so far, by kind, for run statistics."""

    read: int = 0
    write: int = 0
    logins: int = 0
    rate_limited: int = 0
    retries: int = 0
    waited_seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.read + self.write


class PlentyClient:
    """Talks to one PlentyONE system as one user, within that user's budget share.

    Thread-safe: threads of one process share a client; processes share token and budget
    through the ``token_store`` and ``budget_backend`` (in-memory by default, which shares
    nothing beyond this process). ``transport`` replaces the network in tests.
    """

    def __init__(
        self,
        config: PlentyConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        token_store: TokenStore | None = None,
        budget_backend: BudgetBackend | None = None,
        clock: Clock | None = None,
        cipher: MultiFernet | None = None,
        hooks: Sequence[ExchangeHook] = (),
        mask_personal_data: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.hooks = list(hooks)
        self.mask_personal_data = mask_personal_data
        self._rng = rng or random.Random()
        self._http = httpx.Client(
            base_url=config.base_url,
            transport=transport,
            timeout=config.timeouts.to_httpx(),
            headers={"User-Agent": config.user_agent, "Accept": "application/json"},
        )
        self.governor = Governor(config, budget_backend or MemoryBudgetBackend(), self.clock)
        self.session = Session(
            config,
            self._http,
            token_store or MemoryTokenStore(),
            self.clock,
            cipher=cipher,
            on_exchange=self._record_login,
        )
        self._lock = threading.Lock()
        self._counts = CallCounts()
        self.contacts = Contacts(self)
        self.addresses = Addresses(self)
        self.accounts = Accounts(self)
        self.reference = ReferenceData(self)

    @property
    def calls(self) -> CallCounts:
        with self._lock:
            return CallCounts(**{**self._counts.__dict__, "logins": self.session.logins})

    def close(self, *, logout: bool | None = None) -> None:
        """Log out (unless told otherwise or configured not to) and close the connections."""
        if self.config.logout_on_close if logout is None else logout:
            self.session.logout()
        self._http.close()

    def __enter__(self) -> PlentyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        route: str,
        *,
        path: Mapping[str, object] | None = None,
        params: Params | None = None,
        json: Any = None,
        max_wait: float | None = None,
    ) -> Any:
        """Call ``method route`` (a template such as ``/rest/accounts/contacts/{contactId}``).

        Returns the parsed JSON answer (``None`` for an empty one). Waits for budget, logs
        in, logs in again on every 401 (see ``Rejections``), retries per the policy in
        ``_retry`` and raises the typed errors of ``core.errors``.
        """
        call = _Call(
            method=method.upper(),
            route=route,
            url=route.format(**(path or {})),
            params={k: _param(v) for k, v in (params or {}).items() if v is not None},
            json=json,
            max_wait=max_wait,
        )
        policy = self.config.retry
        attempt = limited = 0
        rejections = Rejections(policy, self.clock, self._rng)
        while True:
            attempt += 1
            exchange = self._attempt(call, attempt)
            if exchange is None:
                self._back_off(attempt)
                continue
            response, token, blocked = exchange
            status = response.status_code
            if status == 401:
                # The shared token was revoked or expired early: a fresh login, same call. A
                # 401 means PlentyONE did not run the call, so even a create may be repeated.
                reason = message_of(body_of(response)) or response.reason_phrase
                rejections.rejected(str(call), reason)
                attempt -= 1
                self.session.invalidate(token)
                continue
            rejections.accepted()
            if 200 <= status < 300:
                try:
                    return _parse(response)
                except ValueError:
                    if call.method != "GET":
                        raise call.write_timeout("its answer could not be read") from None
                    if attempt >= policy.attempts:
                        raise TransientError(f"unreadable JSON in the answer to {call}") from None
                    self._back_off(attempt)
                    continue
            if status == 429:
                limited += 1
                self._count(rate_limited=1)
                if limited > policy.max_rate_limited:
                    # Try again when PlentyONE said, not a whole window later.
                    raise RateLimitedError(
                        f"PlentyONE kept refusing {call} with 429", retry_after=max(1.0, blocked)
                    )
                # The governor has blocked the budget; the next acquire waits (or raises).
                attempt -= 1
                continue
            if _retry.retry_status(call.method, status) and attempt < policy.attempts:
                self._back_off(attempt)
                continue
            if call.method == "POST" and status in (500, 502, 504):
                raise call.write_timeout(f"PlentyONE failed with HTTP {status}")
            raise error_for(response, what=str(call))

    def _attempt(self, call: _Call, attempt: int) -> tuple[httpx.Response, Secret, float] | None:
        """Send ``call`` once; ``None`` means it failed in a way that may be tried again.

        Besides the answer and the token it was sent with, returns for how long the answer
        blocked a budget (its ``Retry-After``, for a 429).
        """
        policy = self.config.retry
        self._count(waited_seconds=self.governor.acquire(call.method, call.route, call.max_wait))
        try:
            token = self.session.token()
        except (TransientError, InfrastructureError):
            # No token yet, or its store (Redis, the database) is away: the call is tried again.
            if attempt >= policy.attempts:
                raise
            return None
        request = self._http.build_request(
            call.method,
            call.url,
            params=call.params,
            json=call.json,
            headers={"Authorization": f"Bearer {token.reveal()}"},
        )
        started = self.clock.now()
        try:
            response = self._http.send(request)
        except httpx.HTTPError as exc:
            self._record(request, None, call.route, attempt, started, type(exc).__name__)
            if not _retry.never_sent(exc):
                self._count(**{kind_of(call.method): 1})
            if not (_retry.never_sent(exc) or call.method == "GET"):
                raise call.write_timeout(f"no answer ({type(exc).__name__})") from exc
            if attempt >= policy.attempts:
                raise TransientError(
                    f"PlentyONE did not answer {call} at {bare_url(request.url)} after "
                    f"{attempt} tries: {type(exc).__name__}"
                ) from exc
            return None
        self._count(**{kind_of(call.method): 1})
        self._record(request, response, call.route, attempt, started, None)
        blocked = FALLBACK_BLOCK
        try:
            blocked = self.governor.observe(
                call.method, call.route, response.status_code, response.headers
            )
        except InfrastructureError as exc:
            # The answer is what matters (a write may have been applied); the budget is paced
            # by our own slots meanwhile.
            log.warning("the budget could not learn from the answer to %s: %s", call, exc)
        return response, token, blocked

    def _back_off(self, attempt: int) -> None:
        self._count(retries=1)
        self.clock.sleep(_retry.backoff(self.config.retry, attempt, self._rng))

    def _count(self, **deltas: float) -> None:
        with self._lock:
            values = self._counts.__dict__.copy()
            for key, delta in deltas.items():
                values[key] += delta
            self._counts = CallCounts(**values)

    def _record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        route: str,
        attempt: int,
        started: float,
        error: str | None,
    ) -> None:
        if not self.hooks:
            return
        record = build_record(
            request,
            response,
            route=route,
            kind=kind_of(request.method),
            attempt=attempt,
            duration=self.clock.now() - started,
            mask=self.mask_personal_data,
            error=error,
        )
        emit(self.hooks, record)

    def _record_login(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        route: str,
        duration: float,
        error: str | None,
    ) -> None:
        if self.hooks:
            record = build_record(
                request,
                response,
                route=route,
                kind="login",
                attempt=1,
                duration=duration,
                mask=self.mask_personal_data,
                error=error,
            )
            emit(self.hooks, record)


@dataclass(frozen=True)
class _Call:
    """One API call as the retry loop sees it."""

    method: str
    route: str
    url: str
    params: dict[str, str]
    json: Any
    max_wait: float | None

    def __str__(self) -> str:
        return f"{self.method} {self.route}"

    def write_timeout(self, what: str) -> WriteTimeoutError:
        return WriteTimeoutError(
            f"{what} for {self}; it may or may not have been applied, so look the record "
            "up before writing again",
            method=self.method,
            path=self.url,
        )


def _param(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse(response: httpx.Response) -> Any:
    if not response.content.strip():
        return None
    return json.loads(response.content)
