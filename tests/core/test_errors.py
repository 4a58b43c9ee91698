"""The error tree drawn in ``core/errors.py`` is the real one, and says what a wait costs."""

from __future__ import annotations

import importlib
import inspect
import re

from core import errors
from core.errors import (
    InfrastructureError,
    Later,
    Parked,
    PlentysyncError,
    RateLimitedError,
    TransientError,
    Waiting,
    WriteTimeoutError,
)

# "    │   ├── NotRunnableError    (core.export.service) ..." -> depth, name, module
_BRANCH = re.compile(r"^(?P<indent>[ │]*)[├└]── (?P<name>\w+)(?:\s+\((?P<module>[\w.]+)\))?")


def _drawn() -> list[tuple[type, type]]:
    """(class, its parent in the drawing) for every branch of the module docstring."""
    doc = errors.__doc__ or ""
    parents: list[type] = [PlentysyncError]
    pairs: list[tuple[type, type]] = []
    for line in doc.splitlines():
        found = _BRANCH.match(line.removeprefix("    "))
        if found is None:
            continue
        depth = len(found["indent"]) // 4
        module = importlib.import_module(found["module"] or "core.errors")
        cls = getattr(module, found["name"])
        del parents[depth + 1 :]
        pairs.append((cls, parents[depth]))
        parents.append(cls)
    return pairs


def test_the_drawing_names_each_class_under_its_real_base() -> None:
    pairs = _drawn()
    assert len(pairs) > 20
    for cls, parent in pairs:
        assert cls.__bases__ == (parent,), f"{cls.__name__} is drawn under {parent.__name__}"


def test_every_error_of_the_module_is_drawn() -> None:
    drawn = {cls for cls, _ in _drawn()}
    defined = {
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, PlentysyncError) and cls is not PlentysyncError
    }
    assert defined <= drawn, sorted(c.__name__ for c in defined - drawn)


def test_each_later_is_either_parked_for_an_attempt_or_waiting_for_free() -> None:
    for parked in (TransientError, WriteTimeoutError):
        assert issubclass(parked, Parked) and not issubclass(parked, Waiting)
    for waiting in (RateLimitedError, InfrastructureError):
        assert issubclass(waiting, Waiting) and not issubclass(waiting, Parked)
    assert Parked.__bases__ == Waiting.__bases__ == (Later,)


def test_a_wait_carries_its_seconds() -> None:
    limited = RateLimitedError("429 from the shop", retry_after=12.5, budget="magento")
    outage = InfrastructureError("Redis restarting", service="redis")
    assert (limited.retry_after, limited.budget, limited.asked) == (12.5, "magento", True)
    assert (outage.retry_after, outage.service) == (5.0, "redis")
    assert limited.detail["retry_after"] == 12.5 and outage.detail["service"] == "redis"
