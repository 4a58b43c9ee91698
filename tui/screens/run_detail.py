"""One run's detail: errors first with a count per class, then each customer's result."""

from __future__ import annotations

import io

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.services import RunDetail, RunReport
from tui.widgets.key_table import KeyTable
from tui.widgets.meters import duration

COLUMNS = [
    ("customer", "Customer"),
    ("action", "Action"),
    ("class", "Error class"),
    ("reason", "Reason"),
    ("secs", "Secs"),
]


def class_summary(classes: dict[str, int]) -> str:
    """``ValidationError x12 · NotFound x3`` with the times sign, most frequent first."""
    return " · ".join(f"{name} ×{count}" for name, count in classes.items())  # noqa: RUF001


def detail_head(detail: RunDetail) -> list[str]:
    s = detail.summary
    took = f" · took {duration(s.seconds)}" if s.seconds is not None else ""
    counts = " · ".join(
        f"{name} {count:,}"
        for name, count in (
            ("created", s.created),
            ("updated", s.updated),
            ("unchanged", s.unchanged),
            ("skipped", s.skipped),
            ("conflicts", s.conflicts),
            ("failed", s.failed),
        )
        if count
    )
    lines = [
        f"run {s.run} of {s.profile_name} · {s.status} · {s.trigger} · "
        f"{s.created_at:%Y-%m-%d %H:%M}{took}",
        f"{s.done:,}/{s.total:,} done" + (f": {counts}" if counts else ""),
    ]
    if detail.error_classes:
        lines.append("✖ " + class_summary(detail.error_classes))
    else:
        lines.append("✓ no errors")
    if s.error:
        lines.append(f"✖ {s.error.splitlines()[0]}")
    if detail.not_in_magento:
        lines.append(f"not in Magento: {', '.join(map(str, detail.not_in_magento[:10]))}")
    return lines


class RunDetailScreen(Screen[None]):
    """A run's results; ``o`` writes them as CSV, ``O`` as JSON (0600, path in a toast).

    Served to a browser (``tui --serve``) the file is downloaded by the browser instead.
    """

    CSS_PATH = "run_detail.tcss"
    BINDINGS = [
        Binding("o", "export('csv')", "Export CSV", id="run_detail.csv"),
        Binding("O", "export('json')", "Export JSON", id="run_detail.json"),
        Binding("v", "open_view", "Run view", id="run_detail.view"),
        Binding("escape,q", "back", "Back", id="run_detail.back"),
    ]

    def __init__(self, run_id: int) -> None:
        super().__init__(id="run-detail")
        self.run_id = run_id
        self.detail: RunDetail | None = None

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        yield Static(f"run {self.run_id}: reading…", id="detail-head", markup=False)
        yield KeyTable(COLUMNS, id="detail-items")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.app.run_action_in_thread(  # type: ignore[attr-defined]
            lambda s: s.run_detail(self.run_id), then_with=self.show
        )

    def show(self, detail: RunDetail) -> None:
        self.detail = detail
        self.query_one("#detail-head", Static).update("\n".join(detail_head(detail)))
        rows = {}
        for n, item in enumerate(detail.items):
            mark = "✖ " if item.error_class or item.action == "failed" else ""
            rows[str(n)] = (
                item.entity.removeprefix("customer:"),
                mark + item.action,
                item.error_class or "",
                (item.reason or "")[:60],
                f"{item.seconds:.2f}" if item.seconds is not None else "-",
            )
        self.query_one(KeyTable).sync(rows)

    def action_export(self, fmt: str) -> None:
        if self.app.is_web:
            # Served to a browser: the file goes to the browser, not the server's disk.
            self.app.run_action_in_thread(  # type: ignore[attr-defined]
                lambda s: s.run_report(self.run_id, fmt), then_with=self._deliver
            )
            return
        self.app.run_action_in_thread(  # type: ignore[attr-defined]
            lambda s: s.export_run(self.run_id, fmt),
            then_with=lambda path: self.notify(
                f"run {self.run_id} written to {path}", markup=False
            ),
        )

    def _deliver(self, report: RunReport) -> None:
        self.app.deliver_text(
            io.StringIO(report.text),
            save_filename=report.file_name,
            mime_type=report.mime_type,
            encoding="utf-8",
        )
        self.notify(f"run {self.run_id}: {report.file_name} sent to the browser", markup=False)

    def action_open_view(self) -> None:
        self.app.open_run(self.run_id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()

    def copy_id(self) -> str | None:
        key = self.query_one(KeyTable).current_key
        if self.detail is None or key is None:
            return str(self.run_id)
        return self.detail.items[int(key)].entity.removeprefix("customer:")
