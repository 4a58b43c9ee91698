"""Back-end user logins: tokens, their lifetime, refresh, logout and the session cap."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.plenty.protocol import ApiError


@dataclass
class Session:
    """One issued access token and the refresh token that renews it."""

    user: str
    access_token: str
    refresh_token: str
    expires_at: float


class Sessions:
    """Issues, checks and revokes tokens; counts logged-in users against the cap.

    The cap counts distinct users with a live token, which is how the real system words
    it ("only 3 users can be logged in"): one user logging in again does not use a slot.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._by_access: dict[str, Session] = {}
        self._by_refresh: dict[str, Session] = {}
        self.logins = 0
        self.refreshes = 0
        self.max_users_seen = 0
        self.max_tokens_seen = 0

    def login(
        self,
        users: dict[str, str],
        username: str | None,
        password: str | None,
        lifetime_s: float,
        max_sessions: int | None,
    ) -> dict[str, Any]:
        """Check credentials and hand out a token, or raise the real system's refusal."""
        if not username or username not in users or users[username] != password:
            # The client libraries test the body for exactly this error key.
            raise ApiError(
                401, "The user credentials were incorrect.", error_key="invalid_credentials"
            )
        with self._lock:
            self._forget_expired()
            active = self._active_users()
            if max_sessions is not None and username not in active and len(active) >= max_sessions:
                raise _too_many_sessions(max_sessions)
            session = self._issue(username, lifetime_s)
            self.logins += 1
            return self._token_body(session, lifetime_s, max_sessions)

    def refresh(
        self,
        access_token: str | None,
        refresh_token: str | None,
        lifetime_s: float,
        max_sessions: int | None,
    ) -> dict[str, Any]:
        """Replace a live session's tokens; either of its two tokens identifies it."""
        with self._lock:
            self._forget_expired()
            session = None
            if refresh_token:
                session = self._by_refresh.get(refresh_token)
            if session is None and access_token:
                session = self._by_access.get(access_token)
            if session is None:
                raise ApiError(401, "The refresh token is invalid.")
            self._drop(session)
            renewed = self._issue(session.user, lifetime_s)
            self.refreshes += 1
            return self._token_body(renewed, lifetime_s, max_sessions)

    def user_of(self, access_token: str | None) -> str:
        """The user a bearer token belongs to; 401 when it is unknown, expired or revoked."""
        with self._lock:
            session = self._by_access.get(access_token or "")
            if session is None or session.expires_at <= self._clock():
                raise ApiError(401, "Unauthenticated.")
            return session.user

    def logout(self, access_token: str | None) -> None:
        with self._lock:
            session = self._by_access.get(access_token or "")
            if session is not None:
                self._drop(session)

    def revoke(self, user: str | None = None) -> int:
        """Invalidate every token (of ``user`` when given); returns how many were live."""
        with self._lock:
            doomed = [s for s in self._by_access.values() if user is None or s.user == user]
            for session in doomed:
                self._drop(session)
            return len(doomed)

    def expire_all(self) -> None:
        """Make every token expired now, as if its lifetime had run out."""
        with self._lock:
            for session in self._by_access.values():
                session.expires_at = self._clock()

    def live_counts(self) -> tuple[int, int]:
        """(users logged in, live tokens) right now."""
        with self._lock:
            self._forget_expired()
            return len(self._active_users()), len(self._by_access)

    def _issue(self, user: str, lifetime_s: float) -> Session:
        session = Session(
            user=user,
            access_token=_jwt_looking_token(),
            refresh_token="def50200" + secrets.token_hex(48),
            expires_at=self._clock() + lifetime_s,
        )
        self._by_access[session.access_token] = session
        self._by_refresh[session.refresh_token] = session
        self.max_users_seen = max(self.max_users_seen, len(self._active_users()))
        self.max_tokens_seen = max(self.max_tokens_seen, len(self._by_access))
        return session

    def _drop(self, session: Session) -> None:
        self._by_access.pop(session.access_token, None)
        self._by_refresh.pop(session.refresh_token, None)

    def _forget_expired(self) -> None:
        now = self._clock()
        for session in [s for s in self._by_access.values() if s.expires_at <= now]:
            self._drop(session)

    def _active_users(self) -> set[str]:
        return {session.user for session in self._by_access.values()}

    def _token_body(
        self, session: Session, lifetime_s: float, max_sessions: int | None
    ) -> dict[str, Any]:
        lifetime = round(lifetime_s)
        # Real systems answer with both spellings; client libraries read one or the other.
        return {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "access_token": session.access_token,
            "refresh_token": session.refresh_token,
            "concurrent_sessions": len(self._active_users()),
            "max_current_sessions": max_sessions or 0,
            "tokenType": "Bearer",
            "expiresIn": lifetime,
            "accessToken": session.access_token,
            "refreshToken": session.refresh_token,
        }


def _too_many_sessions(cap: int) -> ApiError:
    return ApiError(
        429,
        f"Too many users. Only {cap} users can be logged in at the same time; "
        "log out another user or wait until a session ends.",
        extra={"max_current_sessions": cap},
        error_key="too_many_concurrent_sessions",
    )


def _jwt_looking_token() -> str:
    # Three dot-separated base64url parts, so clients that peek at the shape are satisfied.
    return (
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9."
        + secrets.token_urlsafe(48)
        + "."
        + (secrets.token_urlsafe(32))
    )
