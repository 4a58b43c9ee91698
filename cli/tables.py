"""Lists on the terminal: one rich table with a header row, the same for every command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli._common import out
from cli.readable import field_lines

_UNBOUNDED = 100_000
Columns = Sequence[tuple[str, str]]  # (key in the row, column heading)


def cell(value: Any) -> Text:
    """A value as a table shows it: '-' for nothing, yes/no, minutes for times, lists joined."""
    if value is None or value == "":
        return Text("-")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, dt.datetime):
        return Text(f"{value:%Y-%m-%d %H:%M:%S}")
    if isinstance(value, list | tuple):
        return Text(", ".join(str(v) for v in value) or "-")
    return Text(str(value))


def print_table(rows: Sequence[Mapping[str, Any]], columns: Columns, *, empty: str) -> None:
    """Print ``rows`` under a header of ``columns``; ``empty`` says so when there are none."""
    if not rows:
        out.print(empty)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for _, heading in columns:
        table.add_column(heading, no_wrap=True)
    for row in rows:
        table.add_row(*(cell(row.get(key)) for key, _ in columns))
    # Piped into grep or a file, a row stays one line however wide it is.
    if out.is_terminal:
        out.print(table)
    else:
        Console(file=out.file, width=_UNBOUNDED, highlight=False).print(table)


def print_fields(shown: Mapping[str, Any]) -> None:
    """One record as ``key: value`` lines; nested mappings indented under their key."""
    for line in field_lines(dict(shown)):
        out.print(line, markup=False)
