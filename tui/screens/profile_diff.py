"""What a save changes in a profile document, one ``path: old → new`` line per changed value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MISSING = "—"


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Leaves by path: ``customer.group_mapping[0].plenty_class_id`` -> 2."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out |= flatten(item, f"{path}.{key}" if path else str(key))
        return out
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        out = {}
        for index, item in enumerate(value):
            out |= flatten(item, f"{path}[{index}]")
        return out
    return {path: value}


def _shown(value: Any) -> str:
    if value is MISSING:
        return MISSING
    return json.dumps(value, ensure_ascii=False)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return bool(old == new)


def document_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Every changed, added or removed leaf, in the new document's order, then the removed."""
    before, after = flatten(old), flatten(new)
    lines = []
    for path, value in after.items():
        previous = before.get(path, MISSING)
        if previous is MISSING and value == [] and _has_rows(before, path):
            continue  # the last rows went: their lines say so
        if previous is MISSING or not _same(previous, value):
            lines.append(f"{path}: {_shown(previous)} → {_shown(value)}")
    for path, value in before.items():
        if path not in after and not (value == [] and _has_rows(after, path)):
            lines.append(f"{path}: {_shown(value)} → {MISSING}")
    return lines


def _has_rows(leaves: Mapping[str, Any], path: str) -> bool:
    return any(p.startswith(path + "[") for p in leaves)
