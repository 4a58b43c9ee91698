"""The errors plentysync raises, grouped by what the caller must do about them.

Code branches on the class, never on the message text. Every "try again later" is a
``Later``, of one of two kinds, so an executor decides by the class alone whether the work
costs an attempt (``Parked``) or only time (``Waiting``)::

    PlentysyncError
    ├── Later                       nothing is wrong with the record: work it again later
    │   ├── Parked                  this entity again after the park delay; costs its batch
    │   │   │                       an attempt (a claim is held, a write may still land)
    │   │   └── TransientError      retried with backoff where it happens (network trouble,
    │   │       │                   5xx, timeouts on reads); once retries are spent, parked
    │   │       └── WriteTimeoutError  a write may have been applied: look the record up first
    │   └── Waiting                 the batch goes back whole for ``retry_after`` seconds and
    │       │                       costs no attempt: nothing failed, there is no room yet
    │       ├── RateLimitedError    an API budget is spent, or the API answered 429
    │       └── InfrastructureError our own Redis or database is out of reach
    ├── DataError               this record cannot be sent as it is; fail it with a message
    │   ├── RecordError         one field of a Magento record is unusable: field and value
    │   ├── ValidationError     the remote API refused the payload, field by field
    │   └── NotFoundError       the record does not exist (any more) on the remote side
    ├── ConflictError           a human must decide (an ambiguous match, a claim held elsewhere)
    ├── ConfigError             the profile or the connection is not usable; fail the run early
    │   ├── SecretKeyError
    │   ├── InputError          a value a person typed cannot be read (ids, a filter, a ref)
    │   ├── FieldErrors         a document refused field by field: ``errors`` (path, message)
    │   │   └── ProfileInputError  (core.profiles.service) profile values not well-formed
    │   ├── NotRunnableError    (core.export.service) the profile is missing pieces
    │   ├── BlackoutRefused     (core.export.service) writes started inside a blackout window
    │   └── CountMismatch       (core.tools.replace) ``--confirm`` names another count
    ├── AuthError               credentials rejected or sessions exhausted; fix the credentials
    │   └── TooManySessionsError
    └── DiskFullError           the disk under our data is full: stop, the run stays resumable

Errors of one area are defined beside their code when only that area raises them, but
always as a subclass of one of these (drawn above with their module), so a caller that
knows this tree knows what to do with them. Two exceptions stay outside on purpose: a
private signal in ``core.plenty._shared_state`` that never leaves its retry loop, and
``core.tools.session.WriteRefused``, a ``RuntimeError`` because a read-only tool that tries
to write is a bug that no handler of this tree may take for a failure of the data.
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


class Later(PlentysyncError):
    """Not the record's fault and not final: the same work succeeds if it is tried again later.

    Catch a subclass, never ``Later`` itself, where the kind of wait matters: ``Parked``
    costs the batch an attempt, ``Waiting`` does not.
    """


class Parked(Later):
    """Look at this entity again after the park delay, in its batch; it costs an attempt.

    Raised where the outcome cannot be known now: another worker holds the create claim, or
    a write timed out and may still be applied. Attempts are counted so that an entity that
    never settles fails in the end instead of being parked for ever.
    """


class TransientError(Parked):
    """A failure that is expected to pass: retry with backoff, then park the entity.

    The clients retry it themselves a bounded number of times; the one that reaches the
    executor has outlived those retries and parks the entity (or its batch, when it struck
    while reading the batch from Magento).
    """


class WriteTimeoutError(TransientError):
    """A write timed out: it may or may not have been applied, so it must not be repeated blindly.

    The caller looks the record up (or parks the entity and resolves it again later)
    before it writes again.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message, detail={"method": method, "path": path})
        self.method = method
        self.path = path


class Waiting(Later):
    """There is no room for the work now: give it back whole and try in ``retry_after`` s.

    Waiting is no failure, so it never costs an attempt: a batch can wait as often as the
    budget or our own services make it.
    """

    def __init__(
        self, message: str, *, retry_after: float, detail: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message, detail={**(detail or {}), "retry_after": retry_after})
        self.retry_after = retry_after


class RateLimitedError(Waiting):
    """An API budget is spent, or the API answered 429: wait ``retry_after`` seconds.

    ``budget`` names what is spent (a PlentyONE budget, or ``"magento"`` for a shop's 429).
    ``asked`` is True when the remote side named the wait (``Retry-After``) and False when
    the wait is our own guess, which a client may replace by its usual backoff.
    """

    def __init__(
        self, message: str, *, retry_after: float, budget: str = "", asked: bool = True
    ) -> None:
        super().__init__(message, retry_after=retry_after, detail={"budget": budget})
        self.budget = budget
        self.asked = asked


class InfrastructureError(Waiting):
    """Redis or the database plentysync keeps its state in failed, not the record being worked.

    A lost connection, a server restarting, a lock held past the busy timeout. The work is
    given back whole and tried again after ``retry_after`` seconds.
    """

    def __init__(self, message: str, *, service: str, retry_after: float = 5.0) -> None:
        super().__init__(message, retry_after=retry_after, detail={"service": service})
        self.service = service


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
