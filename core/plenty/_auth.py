"""The login to PlentyONE: one token per user, shared through a ``TokenStore``, renewed in time.

Every thread and process asks the session for a token. A fresh one comes from this process's
cache or from the store; a token close to expiry is refreshed, an expired or rejected one is
replaced by a new login. Only the holder of the store's login lease talks to PlentyONE; the
others keep using a still-valid token or wait briefly for the new one.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.fernet import MultiFernet

from core.backoff import equal_jitter, retry_after
from core.errors import AuthError, RateLimitedError, TooManySessionsError, TransientError
from core.plenty._clock import Clock
from core.plenty._config import PlentyConfig, RetryPolicy
from core.plenty._errors import (
    INVALID_CREDENTIALS,
    TOO_MANY_SESSIONS,
    body_of,
    error_code_of,
    error_for,
    message_of,
    too_many_sessions_message,
)
from core.plenty._tokens import StoredToken, TokenStore
from core.secrets import Secret, decrypt, encrypt, load_cipher
from core.validation import bare_url

log = logging.getLogger(__name__)

LOGIN = "/rest/login"
REFRESH = "/rest/login/refresh"
LOGOUT = "/rest/logout"

DEFAULT_LIFETIME = 86_400.0
# While another process logs in, look for its new token this often.
POLL = 0.1

Exchange = Callable[[httpx.Request, httpx.Response | None, str, float, str | None], None]


@dataclass(frozen=True)
class _Token:
    secret: Secret
    sealed: str
    expires_at: float
    refresh_at: float


class Rejections:
    """How one call answers PlentyONE rejecting its token (401): a new login each time.

    A token may be revoked or expire early any number of times while a call waits out 429s
    or retries; each rejection is survived as long as it comes within the policy's
    ``relogin_within`` seconds of the call's first one. A rejection right after another
    (no accepted answer in between) waits with backoff before the next login, so a user
    PlentyONE refuses outright costs a few logins, not a burst of them.
    """

    def __init__(self, policy: RetryPolicy, clock: Clock, rng: random.Random) -> None:
        self._policy = policy
        self._clock = clock
        self._rng = rng
        self._first: float | None = None
        self._in_a_row = 0
        self.count = 0

    def accepted(self) -> None:
        """PlentyONE took the token (any answer but 401)."""
        self._in_a_row = 0

    def rejected(self, what: str, reason: str) -> None:
        """Note a 401 for ``what``: wait if needed, or raise ``AuthError`` when time is up."""
        now = self._clock.now()
        if self._first is None:
            self._first = now
        self.count += 1
        self._in_a_row += 1
        elapsed = now - self._first
        if self.count > 1 and elapsed >= self._policy.relogin_within:
            raise AuthError(
                f"PlentyONE kept rejecting the login token for {what} ({reason}): "
                f"{self.count} rejections in {elapsed:.0f} s despite new logins; check that "
                "the API user may still log in and use the REST API"
            )
        if self._in_a_row > 1:
            policy = self._policy
            wait = equal_jitter(self._in_a_row - 1, policy.base_delay, policy.max_delay, self._rng)
            self._clock.sleep(min(wait, policy.relogin_within - elapsed))


class Session:
    """The shared PlentyONE login of one user."""

    def __init__(
        self,
        config: PlentyConfig,
        http: httpx.Client,
        store: TokenStore,
        clock: Clock,
        *,
        cipher: MultiFernet | None = None,
        on_exchange: Exchange | None = None,
    ) -> None:
        self.config = config
        self.http = http
        self.store = store
        self.clock = clock
        self._cipher = cipher
        self._on_exchange = on_exchange
        self._lock = threading.Lock()
        self._cached: _Token | None = None
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.logins = 0

    @property
    def cipher(self) -> MultiFernet:
        if self._cipher is None:
            self._cipher = load_cipher()
        return self._cipher

    def token(self) -> Secret:
        """A valid access token, logging in or refreshing when needed."""
        with self._lock:
            now = self.clock.now()
            if self._cached is not None and now < self._cached.refresh_at:
                return self._cached.secret
            return self._renew()

    def invalidate(self, token: Secret) -> None:
        """PlentyONE rejected ``token``: forget it here and in the store, unless replaced."""
        with self._lock:
            if self._cached is not None and self._cached.secret == token:
                self.store.discard(self.config.user_key, self._cached.sealed)
                self._cached = None
                return
            stored = self.store.load(self.config.user_key)
            if stored is not None and self._open(stored).secret == token:
                self.store.discard(self.config.user_key, stored.sealed)

    def logout(self) -> None:
        """End the session at PlentyONE and forget the token everywhere; errors are only logged."""
        with self._lock:
            token = self._cached
            if token is None:
                stored = self.store.load(self.config.user_key)
                token = self._open(stored) if stored is not None else None
            self._cached = None
            if token is None:
                return
            self.store.discard(self.config.user_key, token.sealed)
            try:
                self._post(LOGOUT, bearer=token.secret)
            except (httpx.HTTPError, TransientError) as exc:
                log.info("PlentyONE logout failed (%s); the token expires on its own", type(exc))

    def _is_fresh(self, stored: StoredToken, now: float) -> bool:
        return now < stored.refresh_at

    def _renew(self) -> Secret:
        user = self.config.user_key
        deadline = self.clock.now() + self.config.login_lease * 2
        while True:
            now = self.clock.now()
            stored = self.store.load(user)
            if stored is not None and self._is_fresh(stored, now):
                return self._remember(self._open(stored))
            if self.store.try_lease(user, self._owner, now, self.config.login_lease):
                try:
                    return self._remember(self._replace(self.store.load(user), now))
                finally:
                    self.store.release_lease(user, self._owner)
            if stored is not None and now < stored.expires_at:
                # Someone else is renewing; the old token still works meanwhile.
                return self._remember(self._open(stored))
            if now > deadline:
                raise TransientError("another process holds the PlentyONE login lease too long")
            self.clock.sleep(POLL)

    def _replace(self, stored: StoredToken | None, now: float) -> _Token:
        if stored is not None and self._is_fresh(stored, now):
            return self._open(stored)
        token: _Token | None = None
        if stored is not None and now < stored.expires_at:
            token = self._refresh(self._open(stored))
        if token is None:
            token = self._login()
        self.store.save(
            self.config.user_key, StoredToken(token.sealed, token.expires_at, token.refresh_at)
        )
        return token

    def _remember(self, token: _Token) -> Secret:
        self._cached = token
        return token.secret

    def _open(self, stored: StoredToken) -> _Token:
        secret = decrypt(stored.sealed, self.cipher)
        return _Token(secret, stored.sealed, stored.expires_at, stored.refresh_at)

    def _seal(self, body: Any) -> _Token:
        if not isinstance(body, dict):
            raise TransientError("PlentyONE answered the login without a readable token")
        access = body.get("access_token") or body.get("accessToken")
        if not access:
            raise TransientError("PlentyONE answered the login without an access token")
        lifetime = body.get("expires_in") or body.get("expiresIn") or DEFAULT_LIFETIME
        now, lifetime = self.clock.now(), float(lifetime)
        # Renew ahead of expiry, but never in the first half of a short-lived token's life.
        ahead = min(self.config.refresh_before_expiry, lifetime / 2)
        sealed = encrypt(str(access), self.cipher)
        return _Token(Secret(str(access)), sealed, now + lifetime, now + lifetime - ahead)

    def _login(self) -> _Token:
        credentials = {"username": self.config.username, "password": self.config.password.reveal()}
        response = self._post(LOGIN, json=credentials)
        self.logins += 1
        if response.status_code == 200:
            body = body_of(response)
            return self._seal(body)
        body = body_of(response)
        code = error_code_of(body)
        if response.status_code == 429:
            if code == TOO_MANY_SESSIONS:
                raise TooManySessionsError(too_many_sessions_message(body))
            wait = retry_after(response.headers) or 60.0
            raise RateLimitedError("PlentyONE refuses logins for now", retry_after=wait)
        if code == INVALID_CREDENTIALS or response.status_code in (401, 403):
            hint = (
                "the user is locked: unlock it in the PlentyONE back end"
                if response.status_code == 403 and code != INVALID_CREDENTIALS
                else "check the user name and password of the client"
            )
            raise AuthError(
                f"PlentyONE refused the login of {self.config.username!r} "
                f"({message_of(body) or response.reason_phrase}): {hint}"
            )
        raise error_for(response, what=f"POST {LOGIN}")

    def _refresh(self, old: _Token) -> _Token | None:
        """A refreshed token that keeps the session, or ``None`` to fall back to a new login."""
        try:
            response = self._post(REFRESH, bearer=old.secret)
        except TransientError:
            return None
        if response.status_code != 200:
            return None
        try:
            return self._seal(body_of(response))
        except TransientError:
            return None

    def _post(self, path: str, *, json: Any = None, bearer: Secret | None = None) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer.reveal()}"
        request = self.http.build_request("POST", path, json=json, headers=headers)
        started = self.clock.now()
        try:
            response = self.http.send(request)
        except httpx.HTTPError as exc:
            self._record(request, None, path, started, type(exc).__name__)
            raise TransientError(
                f"cannot reach PlentyONE at {bare_url(request.url)}: {type(exc).__name__}"
            ) from exc
        self._record(request, response, path, started, None)
        return response

    def _record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        path: str,
        started: float,
        error: str | None,
    ) -> None:
        if self._on_exchange is not None:
            self._on_exchange(request, response, path, self.clock.now() - started, error)
