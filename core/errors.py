"""The errors plentysync raises, grouped by what the caller must do about them.

Code branches on the class, never on the message text::

    PlentysyncError
    ├── TransientError          retry with backoff (network trouble, 5xx, timeouts on reads)
    │   ├── WriteTimeoutError   a write may have been applied: look the record up first
    │   └── InfrastructureError our own Redis or database is out of reach: the batch waits
    │                           whole and is tried again, no customer is at fault
    ├── RateLimitedError        wait ``retry_after`` seconds; never counts as a failed attempt
    ├── DataError               this record cannot be sent as it is; park it with a message
    │   ├── RecordError         one field of a Magento record is unusable: field and value
    │   ├── ValidationError     the remote API refused the payload, field by field
    │   └── NotFoundError       the record does not exist (any more) on the remote side
    ├── ConflictError           a human must decide (an ambiguous match, a claim held elsewhere)
    ├── ConfigError             the profile or the connection is not usable; fail the run early
    │   ├── SecretKeyError
    │   ├── InputError          a value a person typed cannot be read (ids, a filter, a ref)
    │   └── FieldErrors         a document refused field by field: ``errors`` (path, message)
    ├── AuthError               credentials rejected or sessions exhausted; fix the credentials
    │   └── TooManySessionsError
    └── DiskFullError           the disk under our data is full: stop, the run stays resumable
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


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


class InfrastructureError(TransientError):
    """Redis or the database plentysync keeps its state in failed, not the record being worked.

    A lost connection, a server restarting, a lock held past the busy timeout. The work is
    given back whole and tried again after ``retry_after`` seconds.
    """

    def __init__(self, message: str, *, service: str, retry_after: float = 5.0) -> None:
        super().__init__(message, detail={"service": service, "retry_after": retry_after})
        self.service = service
        self.retry_after = retry_after


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


class DiskFullError(PlentysyncError):
    """The disk holding the database (or another file of ours) is full at ``path``.

    Nothing more can be recorded, so the run stops; it resumes once space is freed. With
    ``run_id`` the message says how to go on.
    """

    def __init__(self, path: str, *, run_id: int | None = None) -> None:
        then = f": free space, then plentysync run resume {run_id}" if run_id is not None else ""
        super().__init__(f"disk full at {path}{then}", detail={"path": path, "run_id": run_id})
        self.path = path
        self.run_id = run_id

    @classmethod
    def of(cls, exc: OSError) -> DiskFullError | None:
        """The disk-full error an ``OSError`` stands for (``ENOSPC``), or ``None``."""
        if exc.errno != errno.ENOSPC:
            return None
        return cls(str(exc.filename or "the data directory"))

    def for_run(self, run_id: int) -> DiskFullError:
        """The same error, telling the operator which run to resume."""
        return DiskFullError(self.path, run_id=run_id)


class InputError(ConfigError):
    """A value given by a person (ids, a filter, a name) cannot be read; nothing was done.

    Front ends show the message beside the input it is about: the command line as a usage
    error naming its option, a form under its field.
    """


@dataclass(frozen=True)
class FieldError:
    """One refused field of a document: ``path`` as a person writes it, and what is allowed."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FieldErrors(ConfigError):
    """A document refused field by field, so a form can place each message under its field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        lines = [str(error) for error in errors]
        super().__init__("; ".join(lines), detail={"lines": lines})
        self.errors: tuple[FieldError, ...] = tuple(errors)

    @property
    def lines(self) -> list[str]:
        """One ``path: message`` line per refused field."""
        return [str(error) for error in self.errors]
