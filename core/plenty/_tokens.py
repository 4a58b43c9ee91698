"""Where the PlentyONE login token is kept, so every thread and process of one user shares it.

A store holds, per PlentyONE user, the token *sealed* (encrypted with ``core.secrets``; the
store never sees it in clear) with its expiry, plus a short *login lease*: whoever holds the
lease logs in while everyone else waits for the new token, so a token expiry never turns
into a burst of logins against PlentyONE's session limit. A Redis store maps naturally:
``GET``/``SET`` for the token, a compare-and-delete script for ``discard`` and
``SET NX PX`` for the lease.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Protocol

from core.plenty import _shared_state


@dataclass(frozen=True)
class StoredToken:
    """A sealed token, when it expires and when it should be renewed (seconds since the epoch)."""

    sealed: str
    expires_at: float
    refresh_at: float

    def to_json(self) -> str:
        return json.dumps(
            {"sealed": self.sealed, "expires_at": self.expires_at, "refresh_at": self.refresh_at}
        )

    @classmethod
    def from_json(cls, raw: str) -> StoredToken:
        data = json.loads(raw)
        expires_at = float(data["expires_at"])
        refresh_at = float(data.get("refresh_at", expires_at))
        return cls(sealed=str(data["sealed"]), expires_at=expires_at, refresh_at=refresh_at)


class TokenStore(Protocol):
    """One sealed token and one login lease per PlentyONE user; every method is atomic."""

    def load(self, user: str) -> StoredToken | None:
        """The stored token of ``user``, expired or not, or ``None``."""
        ...

    def save(self, user: str, token: StoredToken) -> None:
        """Store ``token`` as the one every process of ``user`` uses."""
        ...

    def discard(self, user: str, sealed: str) -> None:
        """Forget the token, but only if it still is ``sealed`` (a newer one stays)."""
        ...

    def try_lease(self, user: str, owner: str, now: float, ttl: float) -> bool:
        """Take (or extend) the login lease for ``ttl`` seconds; false if another owner holds it."""
        ...

    def release_lease(self, user: str, owner: str) -> None:
        """Give the lease back if ``owner`` still holds it."""
        ...


class MemoryTokenStore:
    """Tokens in this process: shared by its threads, gone when it ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, StoredToken] = {}
        self._leases: dict[str, tuple[str, float]] = {}

    def load(self, user: str) -> StoredToken | None:
        with self._lock:
            return self._tokens.get(user)

    def save(self, user: str, token: StoredToken) -> None:
        with self._lock:
            self._tokens[user] = token

    def discard(self, user: str, sealed: str) -> None:
        with self._lock:
            current = self._tokens.get(user)
            if current is not None and current.sealed == sealed:
                del self._tokens[user]

    def try_lease(self, user: str, owner: str, now: float, ttl: float) -> bool:
        with self._lock:
            holder = self._leases.get(user)
            if holder is not None and holder[0] != owner and holder[1] > now:
                return False
            self._leases[user] = (owner, now + ttl)
            return True

    def release_lease(self, user: str, owner: str) -> None:
        with self._lock:
            holder = self._leases.get(user)
            if holder is not None and holder[0] == owner:
                del self._leases[user]


class DatabaseTokenStore:
    """Tokens in the ``SharedState`` table: every process of a single host shares them."""

    token_prefix = "plenty.token:"
    lease_prefix = "plenty.login-lease:"

    def load(self, user: str) -> StoredToken | None:
        raw = _shared_state.read_value(self.token_prefix + user)
        return StoredToken.from_json(raw) if raw else None

    def save(self, user: str, token: StoredToken) -> None:
        key = self.token_prefix + user
        _shared_state.update_rows([key], lambda _values: ({key: token.to_json()}, None))

    def discard(self, user: str, sealed: str) -> None:
        _shared_state.delete_if(
            self.token_prefix + user, lambda raw: StoredToken.from_json(raw).sealed == sealed
        )

    def try_lease(self, user: str, owner: str, now: float, ttl: float) -> bool:
        key = self.lease_prefix + user

        def change(values: dict[str, str]) -> tuple[dict[str, str | None], bool]:
            raw = values.get(key)
            if raw is not None:
                holder = json.loads(raw)
                if holder["owner"] != owner and float(holder["until"]) > now:
                    return {}, False
            return {key: json.dumps({"owner": owner, "until": now + ttl})}, True

        return _shared_state.update_rows([key], change)

    def release_lease(self, user: str, owner: str) -> None:
        _shared_state.delete_if(
            self.lease_prefix + user, lambda raw: json.loads(raw)["owner"] == owner
        )
