"""Reading registered customers: all ids, records by id, and what changed since a cursor."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from functools import partial
from typing import Any

from core.errors import NotFoundError
from core.magento._cursor import ChangePage, UpdatedCursor
from core.magento._http import MagentoHttp
from core.magento._models import Customer, CustomerChange
from core.magento._records import UnreadableRecord, parse_each, parse_one
from core.magento._scan import scan_by_id, scan_changes
from core.magento._search import Filter, Search
from core.magento._time_scan import TimePosition, scan_by_time

SEARCH = "customers/search"
# Tight projections: an id-only page of 300 customers is a few kilobytes.
ID_FIELDS = "items[id],total_count"
CHANGE_FIELDS = "items[id,updated_at],total_count"


class CustomerReader:
    """Registered customers of one shop (``/V1/customers``)."""

    def __init__(self, http: MagentoHttp) -> None:
        self._http = http
        self._page_size = http.config.page_size

    def _fetch(self, search: Search) -> tuple[list[dict[str, Any]], int | None]:
        return self._http.search(SEARCH, search)

    def iter_ids(self, *, start_after: int = 0) -> Iterator[list[int]]:
        """Every customer id in ascending order, one page at a time.

        Holds the source's scan lock (per process) until the iteration ends or is closed.
        """
        with self._http.gate.enumeration(self._http.config.enumeration_wait, "customer ids"):
            for page in scan_by_id(
                self._fetch,
                page_size=self._page_size,
                key="id",
                fields=ID_FIELDS,
                start_after=start_after,
            ):
                yield [int(item["id"]) for item in page]

    def iter_by_time(
        self, position: TimePosition
    ) -> Generator[tuple[list[int], TimePosition], None, None]:
        """Customer ids most recently changed first (see ``_time_scan``), with positions.

        Holds the source's scan lock (per process) until the iteration ends or is closed.
        """
        with self._http.gate.enumeration(self._http.config.enumeration_wait, "customers by time"):
            for page, after in scan_by_time(
                self._fetch, position, page_size=self._page_size, key="id", fields=CHANGE_FIELDS
            ):
                yield [int(item["id"]) for item in page], after

    def count(self) -> int:
        """How many customers the shop has (one call for a one-item page)."""
        items, total = self._fetch(
            Search(fields=ID_FIELDS, page_size=1, sort=(("entity_id", "ASC"),))
        )
        return total if total is not None else len(items)

    def find_by_email(self, email: str, *, limit: int = 10) -> list[int]:
        """Ids of the customers registered with ``email`` (any website), lowest first."""
        search = Search(
            filters=(Filter("email", email, "eq"),),
            sort=(("entity_id", "ASC"),),
            page_size=limit,
            fields=ID_FIELDS,
        )
        items, _ = self._fetch(search)
        return [int(item["id"]) for item in items]

    def read(self, ids: Iterable[int]) -> list[Customer | UnreadableRecord]:
        """The records of ``ids``, in id order, in one call per ``page_size`` ids.

        Each record is read on its own: one that does not fit the model comes back as an
        ``UnreadableRecord`` (its id, field and value) and the others are not affected.
        Ids Magento no longer has are simply absent from the result (deleted customers).
        """
        wanted = sorted(set(ids))
        found: list[Customer | UnreadableRecord] = []
        for start in range(0, len(wanted), self._page_size):
            chunk = wanted[start : start + self._page_size]
            # No sort order: the ids pick the rows, so the shop is spared a sort.
            search = Search(
                filters=(Filter("entity_id", ",".join(map(str, chunk)), "in"),),
                page_size=len(chunk),
            )
            items, _ = self._fetch(search)
            found += parse_each(Customer, items, key="id", kind="customer")
        return sorted(found, key=_record_id)

    def fetch(self, ids: Iterable[int]) -> list[Customer]:
        """The readable records of ``ids`` in id order (unreadable ones are logged and left out)."""
        return [record for record in self.read(ids) if isinstance(record, Customer)]

    def get(self, customer_id: int) -> Customer:
        """One customer; ``NotFoundError`` when Magento has no customer with this id.

        A record that cannot be read raises its ``RecordError``.
        """
        data = self._http.get(f"customers/{int(customer_id)}")
        if not isinstance(data, dict):
            raise NotFoundError(f"Magento returned no customer record for id {customer_id}")
        record = parse_one(partial(Customer.model_validate, data), data, "id", "customer")
        if isinstance(record, UnreadableRecord):
            raise record.error()
        return record

    def changes(self, cursor: UpdatedCursor) -> Iterator[ChangePage[CustomerChange]]:
        """Customers created or changed since ``cursor``, oldest change first.

        Store each page's ``cursor`` once its customers are safely queued. Holds the
        source's scan lock (per process) until the iteration ends or is closed.
        """
        with self._http.gate.enumeration(self._http.config.enumeration_wait, "customer changes"):
            for page in scan_changes(
                self._fetch, cursor, page_size=self._page_size, key="id", fields=CHANGE_FIELDS
            ):
                changes = [CustomerChange.model_validate(item) for item in page.items]
                yield ChangePage(changes, page.cursor)


def _record_id(record: Customer | UnreadableRecord) -> int:
    # A record without a usable id sorts first; it cannot be matched to a wanted id anyway.
    return record.id if isinstance(record, Customer) else (record.record_id or 0)
