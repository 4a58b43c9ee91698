"""Turning validation failures into one line per field that a sysadmin can act on."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx
import pydantic

from core.errors import ConfigError, FieldError

_PLAIN = {
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be greater than {gt}",
    "less_than": "must be less than {lt}",
    "missing": "is required",
    "extra_forbidden": "is not a known setting",
    "bool_parsing": "must be yes/no (true/false)",
    "bool_type": "must be yes/no (true/false)",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
}


def field_path(loc: Iterable[int | str]) -> str:
    """A location as a sysadmin writes it: ``customer.group_mapping[0].plenty_class_id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def field_errors(exc: pydantic.ValidationError, prefix: str = "") -> list[FieldError]:
    """Each problem as its field's path and what is allowed there, for a form or a line."""
    found = []
    for error in exc.errors(include_url=False):
        loc = [p for p in error["loc"] if not (isinstance(p, str) and "[" in p)]
        path = field_path([*([prefix] if prefix else []), *loc])
        found.append(FieldError(path, _message(error)))
    return found


def describe_errors(exc: pydantic.ValidationError, prefix: str = "") -> list[str]:
    """One ``field: what is allowed`` line per problem."""
    return [str(error) for error in field_errors(exc, prefix)]


def _message(error: object) -> str:
    assert isinstance(error, dict)
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if error.get("input") is None and kind.endswith(("_type", "_parsing")):
        return "is required"  # an empty choice or field, not a value of the wrong type
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"got {error.get('input')!r}; allowed: {expected}"
    if kind in _PLAIN:
        try:
            return _PLAIN[kind].format(**ctx)
        except (KeyError, IndexError):
            return _PLAIN[kind]
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ")


def check_base_url(url: str, what: str) -> str:
    """``url`` without a trailing slash, or a ConfigError naming what is wrong with it.

    A base URL needs the scheme http or https and a host; a query or fragment would be glued
    to every API path, so neither is accepted.
    """
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # a port such as :abc raises here
    except ValueError as exc:
        raise ConfigError(f"{what} {url!r} is not a usable URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{what} {url!r} must start with http:// or https://")
    if not parts.hostname:
        raise ConfigError(f"{what} {url!r} names no host (write e.g. https://shop.example.com)")
    if parts.query or parts.fragment:
        raise ConfigError(f"{what} {url!r} must not have a query (?...) or fragment (#...)")
    return url.strip().rstrip("/")


def bare_url(url: httpx.URL) -> str:
    """``url`` as an error message may show it: no query, no user name or password."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))
