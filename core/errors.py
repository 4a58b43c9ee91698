"""The errors plentysync raises, grouped by what the caller must do about them.

Code branches on the class, never on the message text:

* ``TransientError``  - retry with backoff (network trouble, 5xx, timeouts on reads).
* ``RateLimitedError`` - wait ``retry_after`` seconds; never counts as a failed attempt.
* ``DataError``       - this record cannot be sent as it is; park it with a clear message.
  * ``RecordError``   - one field of a Magento record is unusable: ``field`` and ``value``.
* ``ConflictError``   - a human must decide (an ambiguous match, a claim held elsewhere).
* ``ConfigError``     - the profile or the connection is not usable; fail the run early.
* ``AuthError``       - credentials rejected or sessions exhausted; fix the credentials.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class PlentysyncError(Exception):
    """Base of every error plentysync raises on purpose."""

    def __init__(self, message: str, *, detail: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail: dict[str, object] = dict(detail or {})

    def __str__(self) -> str:
        return self.message


class TransientError(PlentysyncError):
    """A failure that is expected to pass: retry with backoff."""


class WriteTimeoutError(TransientError):
    """A write timed out: it may or may not have been applied, so it must not be repeated blindly.

    The caller looks the record up (or parks the entity and resolves it again later)
    before it writes again.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message, detail={"method": method, "path": path})
        self.method = method
        self.path = path


class RateLimitedError(PlentysyncError):
    """The API budget is spent: wait ``retry_after`` seconds before the next call."""

    def __init__(self, message: str, *, retry_after: float, budget: str = "") -> None:
        super().__init__(message, detail={"retry_after": retry_after, "budget": budget})
        self.retry_after = retry_after
        self.budget = budget


class DataError(PlentysyncError):
    """This record cannot be exported as it is; the message names the value and what to fix."""


class RecordError(DataError):
    """One field of a Magento record cannot be read or sent; fix ``value`` in ``field``.

    The message names the field only; ``value`` stays out of it because messages reach
    logs. ``in_history`` adds the value, for the run item an operator reads to fix it.
    """

    def __init__(self, message: str, *, field: str, value: object) -> None:
        super().__init__(message, detail={"field": field})
        self.field = field
        self.value = value

    def in_history(self) -> str:
        """The message with the offending value, escaped so invisible characters show."""
        shown = repr(self.value)
        if len(shown) > 80:
            shown = f"{shown[:77]}..."
        return f"{self.message} (value {shown})"


class ValidationError(DataError):
    """The remote API refused the payload; ``fields`` maps each field to its messages."""

    def __init__(self, message: str, *, fields: Mapping[str, Sequence[str]] | None = None) -> None:
        clean = {k: list(v) for k, v in (fields or {}).items()}
        super().__init__(message, detail={"fields": clean})
        self.fields: dict[str, list[str]] = clean


class NotFoundError(DataError):
    """The record asked for does not exist (any more) on the remote side."""


class ConflictError(PlentysyncError):
    """A human must decide, for example which of two matching contacts is ours."""


class ConfigError(PlentysyncError):
    """The configuration cannot work; the message says which setting to fix."""


class AuthError(PlentysyncError):
    """Credentials were refused, or the remote side allows no further session."""


class TooManySessionsError(AuthError):
    """PlentyONE refused a login because the user already holds the maximum of sessions."""


class SecretKeyError(ConfigError):
    """The secret key is missing, malformed or not the key the secrets were stored with."""
