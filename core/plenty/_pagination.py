"""Walking PlentyONE's paged lists one page at a time, never holding a whole collection."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from core.errors import TransientError
from core.plenty._models import PageInfo

if TYPE_CHECKING:
    from core.plenty._client import Params, PlentyClient

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of a list: its entries and where it sits in the whole."""

    info: PageInfo
    entries: list[M]

    @property
    def is_last(self) -> bool:
        return bool(self.info.isLastPage) or self.info.page >= self.info.lastPageNumber


def parse_page(body: Any, model: type[M]) -> Page[M]:
    """A page from a paged answer; a plain list (some routes skip paging) is one last page."""
    if isinstance(body, list):
        entries = [model.model_validate(item) for item in body]
        info = PageInfo(page=1, totalsCount=len(entries), isLastPage=True, lastPageNumber=1)
        return Page(info, entries)
    if not isinstance(body, Mapping) or not isinstance(body.get("entries", []), list):
        raise TransientError("PlentyONE answered a list request without a page of entries")
    info = PageInfo.model_validate({k: v for k, v in body.items() if k != "entries"})
    return Page(info, [model.model_validate(item) for item in body.get("entries") or []])


def iter_pages(
    client: PlentyClient,
    route: str,
    model: type[M],
    *,
    path: Mapping[str, object] | None = None,
    params: Params | None = None,
    items_per_page: int | None = None,
    first_page: int = 1,
) -> Iterator[Page[M]]:
    """Yield the pages of ``route`` in order, fetching each only when the previous is consumed."""
    size = items_per_page or client.config.items_per_page
    page_number = first_page
    while True:
        query = {**(params or {}), "page": page_number, "itemsPerPage": size}
        page = parse_page(client.request("GET", route, path=path, params=query), model)
        # Past the end PlentyONE may answer with another (clamped) page: that is the end too.
        if page.info.page != page_number and page_number > 1:
            return
        yield page
        if page.is_last or not page.entries:
            return
        page_number += 1


def iter_entries(
    client: PlentyClient,
    route: str,
    model: type[M],
    *,
    path: Mapping[str, object] | None = None,
    params: Params | None = None,
    items_per_page: int | None = None,
) -> Iterator[M]:
    """Yield every entry of a paged list, one page in memory at a time."""
    for page in iter_pages(
        client, route, model, path=path, params=params, items_per_page=items_per_page
    ):
        yield from page.entries
