"""Settings and records as a person reads them: headings for sections, then key: value lines."""

from __future__ import annotations

import json
from typing import Any


def settings_lines(document: dict[str, Any]) -> list[str]:
    """The settings document as text lines: sections as headings, nested values indented."""
    lines: list[str] = []
    for section, values in document.items():
        lines.append("")
        lines.append(f"{section}")
        if isinstance(values, dict):
            lines += field_lines(values, "  ") or ["  (nothing set)"]
        else:
            lines.append(f"  {_scalar(values)}")
    return lines


def field_lines(values: dict[str, Any], indent: str = "") -> list[str]:
    """``key: value`` lines; nested mappings and lists of records indented under their key."""
    lines: list[str] = []
    for key, value in values.items():
        if isinstance(value, dict) and value:
            lines.append(f"{indent}{key}:")
            lines += field_lines(value, indent + "  ")
        elif isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
            lines.append(f"{indent}{key}:")
            lines += [f"{indent}  - {_scalar(item)}" for item in value]
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return lines


def _scalar(value: Any) -> str:
    """One value on one line: mappings as ``k=v``, lists joined, nothing as '-'."""
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_scalar(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, str):
        return value
    return json.dumps(value)
