"""The wire conventions every emulated route shares: error envelopes, paging, query parsing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from starlette.datastructures import QueryParams

MODEL_PREFIX = "Plenty\\Modules\\Account"


class ApiError(Exception):
    """An error answer in PlentyONE's envelope; raised by handlers, rendered by the router."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        error_key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}
        self.error_key = error_key

    def body(self) -> dict[str, Any]:
        # Login refusals use a flat {"error": key, "message": ...}; everything else nests.
        if self.error_key is not None:
            return {"error": self.error_key, **self.extra, "message": self.message}
        return {"error": {"message": self.message, "code": self.status}, **self.extra}


def not_found(model: str, object_id: object) -> ApiError:
    """The 404 the real system answers, which leaks the framework's model-not-found text."""
    return ApiError(404, f"No query results for model [{MODEL_PREFIX}\\{model}] {object_id}")


def invalid(errors: dict[str, list[str]]) -> ApiError:
    """A 422 whose ``validation_errors`` sit beside ``error``, field -> messages."""
    return ApiError(422, "validation error found", extra={"validation_errors": errors})


@dataclass
class Call:
    """One parsed request as a handler sees it."""

    method: str
    path_params: dict[str, Any]  # already converted: ids are int, referrer ids float
    query: QueryParams
    body: Any
    user: str | None = None
    token: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def path_int(self, name: str) -> int:
        raw = self.path_params[name]
        try:
            return int(raw)
        except ValueError:
            raise invalid({name: [f"The {name} must be an integer."]}) from None

    def body_dict(self) -> dict[str, Any]:
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        return self.body

    def body_list(self) -> list[dict[str, Any]]:
        if not isinstance(self.body, list) or not all(isinstance(i, dict) for i in self.body):
            raise ApiError(400, "The request body must be a JSON array of objects.")
        return self.body

    def first(self, *names: str) -> str | None:
        """The first of ``names`` present in the query string (empty counts as absent)."""
        for name in names:
            value = self.query.get(name)
            if value not in (None, ""):
                return value
        return None

    def query_int(self, name: str) -> int | None:
        value = self.first(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise invalid({name: [f"The {name} must be an integer."]}) from None

    def query_bool(self, name: str) -> bool | None:
        value = self.first(name)
        return None if value is None else parse_bool(value)

    def with_relations(self) -> set[str]:
        """``with=a,b`` and ``with[]=a&with[]=b`` both name relations to embed."""
        names: set[str] = set()
        for key in ("with", "with[]"):
            for value in self.query.getlist(key):
                names.update(part.strip() for part in value.split(",") if part.strip())
        return names


def option_items(raw: Any, errors: dict[str, list[str]]) -> list[tuple[int, dict[str, Any]]]:
    """The (index, object) entries of an ``options`` array; anything else is noted in errors."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        errors["options"] = ["The options must be an array."]
        return []
    items = []
    for index, item in enumerate(raw):
        if isinstance(item, dict):
            items.append((index, item))
        else:
            errors[f"options.{index}"] = ["Each option must be an object."]
    return items


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def parse_filter_date(name: str, value: str) -> datetime | date:
    """A date filter value: ``yyyy-mm-dd``, ``mm/dd/yyyy`` or a full ISO 8601 timestamp."""
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise invalid({name: [f"The {name} is not a valid date."]}) from None


def page_window(call: Call, default: int, maximum: int) -> tuple[int, int]:
    """``page`` (from 1) and ``itemsPerPage`` (clamped to ``maximum``) of a list request."""
    page = call.query_int("page") or 1
    per_page = call.query_int("itemsPerPage") or default
    if page < 1:
        raise invalid({"page": ["The page must be at least 1."]})
    return page, max(1, min(per_page, maximum))


def paginated(entries: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    """The eight-key paginated result; a page past the end comes back empty."""
    total = len(entries)
    offset = (page - 1) * per_page
    chunk = list(entries[offset : offset + per_page])
    last_page = max(1, math.ceil(total / per_page))
    return {
        "page": page,
        "totalsCount": total,
        "isLastPage": page >= last_page,
        "lastPageNumber": last_page,
        "firstOnPage": offset + 1 if chunk else 0,
        "lastOnPage": offset + len(chunk) if chunk else 0,
        "itemsPerPage": per_page,
        "entries": chunk,
    }
