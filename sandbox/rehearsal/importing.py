"""Joining the customers and addresses exports into a shop the Magento sandbox can serve."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.data.imported import ImportedShop
from sandbox.rehearsal.columns import CUSTOMER_COLUMNS
from sandbox.rehearsal.layout import LayoutBuilder
from sandbox.rehearsal.reading import ExportFile, Problem, Row, read_export
from sandbox.rehearsal.records import FieldError, address_record, customer_record, flag, integer

Key = tuple[str, str]  # (e-mail folded to lower case, website code)


@dataclass
class RehearsalImport:
    """What an import read: the shop, the files, and every refused row or caveat."""

    shop: ImportedShop
    files: list[ExportFile]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def refused_rows(self) -> int:
        """Rows left out (each refused row has one error, a refused file has no line)."""
        return len({(p.file, p.line) for p in self.errors if p.line is not None and p.line > 1})

    @property
    def addresses(self) -> int:
        return sum(len(c["addresses"]) for c in self.shop.customers)


def _key(email: str, website: str) -> Key:
    return email.strip().casefold(), website.strip()


@dataclass
class _Join:
    layout: LayoutBuilder = field(default_factory=LayoutBuilder)
    customers: list[dict[str, Any]] = field(default_factory=list)
    by_key: dict[Key, dict[str, Any]] = field(default_factory=dict)
    lines: dict[Key, str] = field(default_factory=dict)
    refused: set[Key] = field(default_factory=set)
    seen_addresses: dict[int, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add_customer(self, row: Row) -> None:
        values = row.values
        email, website = values.get("email", "").strip(), values.get("_website", "").strip()
        if not email or not website:
            column = "email" if not email else "_website"
            self.problems.append(row.problem(column, "empty: rows are keyed by e-mail and website"))
            return
        key = _key(email, website)
        if key in self.by_key or key in self.refused:
            where = self.lines.get(key, "an earlier row")
            self.problems.append(row.problem("email", f"{email} on {website} twice (also {where})"))
            return
        self.lines[key] = f"{row.file}:{row.line}"
        try:
            record = customer_record(values, len(self.customers) + 1)
            website_id = self.layout.website(website, integer(values, "website_id"))
            store_code = values.get("_store", "").strip() or "admin"
            store_id = self.layout.store(
                store_code, integer(values, "store_id"), website_id, values.get("created_in")
            )
        except FieldError as error:
            self.refused.add(key)
            self.problems.append(row.problem(error.column, str(error)))
            return
        except ValueError as error:
            self.refused.add(key)
            self.problems.append(row.problem("_website", str(error)))
            return
        self.layout.groups.add(record["group_id"])
        record.update({"store_id": store_id, "website_id": website_id, "addresses": []})
        record["extension_attributes"] = {"is_subscribed": False}
        custom = [
            {"attribute_code": column, "value": value}
            for column, value in values.items()
            if column not in CUSTOMER_COLUMNS
        ]
        if custom:
            record["custom_attributes"] = custom
        self.customers.append(record)
        self.by_key[key] = record

    def add_address(self, row: Row, address_id: int) -> bool:
        values = row.values
        email, website = values.get("_email", "").strip(), values.get("_website", "").strip()
        if not email or not website:
            column = "_email" if not email else "_website"
            self.problems.append(
                row.problem(column, "empty: addresses are keyed by e-mail and website")
            )
            return False
        key = _key(email, website)
        customer = self.by_key.get(key)
        if customer is None:
            why = "its customer row was refused" if key in self.refused else "no such customer"
            self.problems.append(row.problem("_email", f"{email} on {website}: {why}"))
            return False
        try:
            entity_id = integer(values, "_entity_id")
            address = address_record(values, address_id, customer["id"])
        except FieldError as error:
            self.problems.append(row.problem(error.column, str(error)))
            return False
        if entity_id is not None:
            earlier = self.seen_addresses.get(entity_id)
            if earlier:
                self.problems.append(
                    row.problem("_entity_id", f"{entity_id} twice (also {earlier})")
                )
                return False
            self.seen_addresses[entity_id] = f"{row.file}:{row.line}"
        try:
            defaults = [
                (kind, flag(values, f"_address_default_{kind}_"))
                for kind in ("billing", "shipping")
            ]
        except FieldError as error:
            self.problems.append(row.problem(error.column, str(error)))
            return False
        for kind, is_default in defaults:
            if not is_default:
                continue
            if f"default_{kind}" in customer:
                self.problems.append(
                    row.problem(
                        f"_address_default_{kind}_",
                        f"a second default {kind} address: the first one stays the default",
                        "warning",
                    )
                )
                continue
            customer[f"default_{kind}"] = str(address_id)
            address[f"default_{kind}"] = True
        customer["addresses"].append(address)
        return True


def import_exports(paths: Iterable[Path]) -> RehearsalImport:
    """Read every export file and join addresses to customers on e-mail and website.

    Customers get ids 1..N in the order they were read: synthetic ids, only for the
    rehearsal. A file that is not an export is refused whole; a row that cannot be read is
    left out with a problem naming its file, line and column.
    """
    files = [read_export(path) for path in paths]
    join = _Join()
    for problem_file in files:
        join.problems.extend(problem_file.problems)
    for export in (f for f in files if f.kind == "customers"):
        for row in export.rows:
            join.add_customer(row)
    next_address = 1
    for export in (f for f in files if f.kind == "addresses"):
        for row in export.rows:
            if join.add_address(row, next_address):
                next_address += 1
    shop = ImportedShop(layout=join.layout.layout(), customers=tuple(join.customers))
    return RehearsalImport(shop=shop, files=files, problems=join.problems)
