"""The façade calls of the TUI served to a browser (``plentysync tui --serve``).

A tab in a browser cannot write into the operator's file system; it is handed the report
instead (``App.deliver_text``), so it asks for the report's text rather than a path.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InputError
from tui.services_runs import ExportFormat, RunDetail, render_export

MIME_TYPES: dict[str, str] = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class RunReport:
    """One run's results rendered for a download: the file name, its type and its text."""

    file_name: str
    mime_type: str
    text: str


class ServedFacade:
    """Mixed into ``tui.services.Services``."""

    def run_report(self, run_id: int, fmt: ExportFormat) -> RunReport:
        """One run's results as the CSV or JSON text a browser downloads (every customer)."""
        if fmt not in MIME_TYPES:
            raise InputError(f"export format {fmt!r}: csv or json")
        detail = self.run_detail(run_id, limit=None)
        return RunReport(f"run-{run_id}.{fmt}", MIME_TYPES[fmt], render_export(detail, fmt))

    def run_detail(self, run_id: int, limit: int | None = 500) -> RunDetail:  # pragma: no cover
        raise NotImplementedError  # RunsFacade defines it
