"""Reading one export file into rows, with every problem tied to its file, line and column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sandbox.rehearsal.columns import ADDRESS_KEY, CUSTOMER_KEY, FileKind, file_kind, is_secret
from sandbox.rehearsal.text import LOST_CHARACTER, decode_export, repair_double_decoding

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something in an export that was refused (error) or read with a caveat (warning)."""

    file: str
    line: int | None
    column: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


@dataclass(frozen=True)
class Row:
    """One record of an export: where it starts and its non-secret values by column."""

    file: str
    line: int
    values: dict[str, str]

    def problem(self, column: str | None, message: str, severity: Severity = "error") -> Problem:
        return Problem(self.file, self.line, column, message, severity)


@dataclass
class ExportFile:
    """An export read from disk: its kind, its rows and what was wrong with it."""

    name: str
    kind: FileKind | None
    encoding: str
    rows: list[Row] = field(default_factory=list)
    dropped_columns: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)


def _clean_cell(file: str, line: int, column: str, value: str, problems: list[Problem]) -> str:
    repaired = repair_double_decoding(value)
    if repaired is not None:
        problems.append(
            Problem(
                file,
                line,
                column,
                "mis-encoded text repaired (UTF-8 read as Windows-1252)",
                "warning",
            )
        )
        value = repaired
    if LOST_CHARACTER in value:
        problems.append(
            Problem(
                file,
                line,
                column,
                "a character was already lost before the export (U+FFFD)",
                "warning",
            )
        )
    return value


def read_export(path: Path) -> ExportFile:
    """Read a Magento customer or address export; secret columns are dropped unread."""
    name = path.name
    decoded = decode_export(path.read_bytes())
    found = ExportFile(name, None, decoded.encoding)
    if decoded.encoding not in ("UTF-8", "UTF-8 with byte-order mark"):
        found.problems.append(
            Problem(name, None, None, f"not UTF-8: read as {decoded.encoding}", "warning")
        )
    # Strict: a stray quote would otherwise swallow the rows after it without a word.
    reader = csv.reader(io.StringIO(decoded.text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        found.problems.append(Problem(name, 1, None, "the file is empty"))
        return found
    except csv.Error as error:
        found.problems.append(Problem(name, 1, None, f"not a CSV header: {error}"))
        return found
    found.kind = file_kind(header)
    if found.kind is None:
        wanted = " + ".join(CUSTOMER_KEY) + " (customers) or " + " + ".join(ADDRESS_KEY)
        found.problems.append(
            Problem(
                name, 1, None, f"not a Magento customer export: no {wanted} (addresses) columns"
            )
        )
        return found
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        found.problems.append(Problem(name, 1, ", ".join(repeated), "column named twice"))
        return found
    kept = [(i, column) for i, column in enumerate(header) if column and not is_secret(column)]
    found.dropped_columns = tuple(column for column in header if column and is_secret(column))
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            found.problems.append(
                Problem(name, line, None, f"cannot be read as CSV ({error}): the rest is not read")
            )
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(header):
            found.problems.append(
                Problem(name, line, None, f"{len(cells)} values, the header has {len(header)}")
            )
            continue
        values = {
            column: _clean_cell(name, line, column, cells[i], found.problems)
            for i, column in kept
            if cells[i] != ""
        }
        found.rows.append(Row(name, line, values))
    return found
