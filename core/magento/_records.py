"""Reading a page's records one by one, so a record that does not parse fails alone.

The page's envelope (``items``, ``total_count``) is checked by the HTTP layer; each item is
then validated on its own. An item that does not fit its model becomes an
:class:`UnreadableRecord` that keeps the record's id (read from the raw item), the first
field at fault and its value, and the rest of the page goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from core.errors import RecordError
from core.plenty import mask_text

log = logging.getLogger("core.magento")

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
RecordKind = Literal["customer", "order"]


@dataclass(frozen=True)
class UnreadableRecord:
    """A Magento record plentysync cannot read: which one, which field, what it holds."""

    record_id: int | None
    kind: RecordKind
    field: str
    value: Any
    problem: str

    def error(self) -> RecordError:
        """The record's problem as the error a failed result reports."""
        return RecordError(
            f"the Magento {self.kind}'s field {self.field} cannot be read "
            f"({self.problem}); fix it in Magento",
            field=self.field,
            value=self.value,
        )


def raw_id(item: Any, key: str) -> int | None:
    """The record id of a raw item, when it has a usable one."""
    value = item.get(key) if isinstance(item, dict) else None
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _location(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(record)"


def unreadable(record_id: int | None, kind: RecordKind, error: PydanticError) -> UnreadableRecord:
    """The first problem pydantic found, as an unreadable record (logged with masking)."""
    first = error.errors()[0]
    found = UnreadableRecord(
        record_id=record_id,
        kind=kind,
        field=_location(tuple(first["loc"])),
        value=first.get("input"),
        problem=first["msg"][:1].lower() + first["msg"][1:],
    )
    shown = mask_text(found.value) if isinstance(found.value, str) else type(found.value).__name__
    log.warning(
        "Magento %s %s cannot be read: field %s (%s) %s",
        kind,
        record_id if record_id is not None else "(no id)",
        found.field,
        shown,
        found.problem,
    )
    return found


def parse_each(
    model: type[M], items: list[Any], *, key: str, kind: RecordKind
) -> list[M | UnreadableRecord]:
    """Each item validated alone: the model, or an ``UnreadableRecord`` for that item."""
    return [parse_one(partial(model.model_validate, item), item, key, kind) for item in items]


def parse_one(
    build: Callable[[], T], item: Any, key: str, kind: RecordKind
) -> T | UnreadableRecord:
    """``build()`` for one raw item, or that item's problem when pydantic refuses it."""
    try:
        return build()
    except PydanticError as exc:
        return unreadable(raw_id(item, key), kind, exc)
