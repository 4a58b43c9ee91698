"""The ``fields`` parameter: partial responses such as ``items[id,email],total_count``."""

from __future__ import annotations

from typing import Any

FieldTree = dict[str, "FieldTree | None"]


def parse_fields(text: str) -> FieldTree:
    """``items[id,addresses[city]],total_count`` -> nested dict of kept keys."""
    return _parse(text.replace(" ", ""), 0)[0]


def _parse(text: str, position: int) -> tuple[FieldTree, int]:
    tree: FieldTree = {}
    name = ""
    while position < len(text):
        char = text[position]
        if char == "[":
            tree[name], position = _parse(text, position + 1)
            name = ""
            continue
        if char == "]":
            if name:
                tree[name] = None
            return tree, position + 1
        if char == ",":
            if name:
                tree[name] = None
            name = ""
        else:
            name += char
        position += 1
    if name:
        tree[name] = None
    return tree, position


def project(value: Any, tree: FieldTree | None) -> Any:
    """Keep only the keys named in ``tree`` (lists are projected item by item)."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [project(item, tree) for item in value]
    if isinstance(value, dict):
        return {key: project(value[key], sub) for key, sub in tree.items() if key in value}
    return value
