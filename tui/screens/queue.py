"""Screen 3, the queue of one profile: counts, items (failed first), add, remove, retry, clear."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.polling import LivePoll
from tui.services import QueueBoard, parse_ids
from tui.widgets.key_table import KeyTable

COLUMNS = [
    ("mark", "●"),
    ("customer", "Customer"),
    ("status", "Status"),
    ("attempts", "Att"),
    ("next", "Next attempt"),
    ("error", "Last error"),
]
MARKS = {"failed": "✖", "pending": "·", "processing": "▶", "changed": "↻"}


def open_queue(app: Any, profile_id: int) -> None:
    """Switch to the queue screen showing ``profile_id``'s queue (the dashboard's ``u``)."""

    def shown() -> None:
        if isinstance(app.screen, QueueScreen):
            app.screen.show_profile(profile_id)

    app.switch_mode("queue")
    app.call_after_refresh(shown)


def stats_line(board: QueueBoard) -> str:
    counts = " · ".join(f"{status} {n:,}" for status, n in board.stats.by_status.items())
    return f"queue of {board.profile_name}: {counts} · due now {board.stats.due:,}"


def classes_line(board: QueueBoard) -> str:
    if not board.failed_classes:
        return "✓ nothing failed"
    return "✖ failed: " + " · ".join(
        f"{name or 'no class'} ×{n:,}"  # noqa: RUF001 - "times", as the design writes it
        for name, n in board.failed_classes
    )


class QueueScreen(LivePoll[QueueBoard | None], Screen[None]):
    """``a`` adds ids, ``delete`` removes, ``t`` retries failed, ``C`` clears (typed)."""

    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("a", "add", "Add", id="queue.add"),
        Binding("delete", "remove", "Remove", id="queue.remove"),
        Binding("t", "retry", "Retry failed", id="queue.retry"),
        Binding("C", "clear", "Clear", id="queue.clear"),
        Binding("m", "mark", "Mark", id="queue.mark"),
        Binding("P", "choose_profile", "Profile", id="queue.profile"),
    ]
    interval = 2.0

    def __init__(self, profile_id: int | None = None) -> None:
        super().__init__(id="queue")
        self.profile_id = profile_id
        self.board: QueueBoard | None = None
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield from self.app.chrome()  # type: ignore[attr-defined]
        yield Static("reading the queue…", id="queue-stats", markup=False)
        yield KeyTable(COLUMNS, id="queue-items")
        yield Footer()

    def on_mount(self) -> None:
        self.start_polling()

    def on_screen_resume(self) -> None:
        self.poll_now()

    # -- live data -------------------------------------------------------------------------

    def fetch(self) -> QueueBoard | None:
        app: Any = self.app
        if self.profile_id is None:
            profiles = app.services.profiles()
            if not profiles:
                return None
            self.profile_id = profiles[0].id
        board: QueueBoard = app.services.queue_board(self.profile_id)
        return board

    def show(self, data: QueueBoard | None) -> None:
        stats = self.query_one("#queue-stats", Static)
        table = self.query_one(KeyTable)
        if data is None:
            stats.update("no profile yet: create one first")
            table.sync({})
            return
        if self.board is not None and self.board.profile_id != data.profile_id:
            self.marked.clear()
        self.board = data
        keys = {item.entity_id for item in data.items}
        self.marked &= keys
        shown = "" if data.shown_all else f" · {len(data.items):,} shown (failed first)"
        stats.update(f"{stats_line(data)}{shown}\n{classes_line(data)}")
        table.sync(
            {
                item.entity_id: (
                    "●" if item.entity_id in self.marked else " ",
                    item.entity_id,
                    f"{MARKS.get(item.status, '·')} {item.status}",
                    item.attempts,
                    f"{item.next_attempt_at:%m-%d %H:%M}",
                    (item.error_class or "") + (f": {item.error}" if item.error else ""),
                )
                for item in data.items
            }
        )

    def selected_keys(self) -> list[str]:
        """The marked customers, or the one under the cursor."""
        if self.marked:
            return sorted(self.marked, key=lambda k: (len(k), k))
        key = self.query_one(KeyTable).current_key
        return [] if key is None else [key]

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return app.services.can_act or action not in ("add", "remove", "retry", "clear", "mark")

    def _act(self, call: Any, done: str) -> None:
        self.app.run_action_in_thread(call, done=done, then=self.poll_now)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        key = self.query_one(KeyTable).current_key
        if key is None:
            return
        self.marked.symmetric_difference_update({key})
        self.query_one(KeyTable).update_cell(key, "mark", "●" if key in self.marked else " ")
        self.query_one(KeyTable).action_cursor_down()

    def action_add(self) -> None:
        from tui.screens.ask import AskText

        if self.board is None:
            return
        profile_id, name = self.board.profile_id, self.board.profile_name

        def added(text: str | None) -> None:
            if text:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.queue_add(profile_id, text),
                    then_with=lambda q: self.notify(
                        f"{q.named:,} queued for {name} ({q.new:,} new)", markup=False
                    ),
                    then=self.poll_now,
                )

        self.app.push_screen(
            AskText(
                f"Queue customers for {name}",
                "Customer ids (ranges such as 1-100,250)",
                check=parse_ids,
            ),
            added,
        )

    def action_remove(self) -> None:
        from tui.screens.ask import AskText

        if self.board is None:
            return
        profile_id = self.board.profile_id

        def removed(text: str | None) -> None:
            if text:
                keys = [str(i) for i in parse_ids(text)]
                self._act(lambda s: s.queue_remove(profile_id, keys), "")

        value = ",".join(self.selected_keys())
        self.app.push_screen(
            AskText(
                "Remove from the queue",
                "Customer ids to take off the queue",
                value=value,
                check=parse_ids,
            ),
            removed,
        )

    def action_retry(self) -> None:
        from tui.screens.ask import Choose

        board = self.board
        if board is None:
            return
        failed = board.stats.by_status.get("failed", 0)
        if not failed:
            self.notify("nothing failed in this queue", severity="warning")
            return
        selected = self.selected_keys()
        choices = [("all", f"all failed customers ({failed:,})")]
        if selected:
            label = selected[0] if len(selected) == 1 else f"{len(selected)} marked"
            choices.append(("selected", f"selected: {label}"))
        choices += [
            (f"class:{name}", f"error class {name or '(none)'} ({n:,})")
            for name, n in board.failed_classes
        ]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            keys = selected if choice == "selected" else None
            error_class = choice.removeprefix("class:") if choice.startswith("class:") else None
            self.app.run_action_in_thread(  # type: ignore[attr-defined]
                lambda s: s.count_retry(board.profile_id, keys, error_class),
                then_with=lambda n: self._confirm_retry(n, keys, error_class),
            )

        self.app.push_screen(Choose("Retry which failed customers?", choices), chosen)

    def _confirm_retry(self, count: int, keys: list[str] | None, error_class: str | None) -> None:
        from tui.screens.confirm import Confirm

        board = self.board
        if board is None:
            return
        if not count:
            self.notify("none of those customers failed: nothing to retry", severity="warning")
            return
        scope = (
            f" of error class {error_class}"
            if error_class is not None
            else " among those selected"
            if keys is not None
            else ""
        )
        question = (
            f"Retry {count:,} failed customer(s){scope} of {board.profile_name}? They become "
            "pending with their attempts from zero and go with the next drain."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.queue_retry(board.profile_id, keys, error_class),
                    then_with=lambda n: self.notify(f"{n:,} customer(s) pending again"),
                    then=self.poll_now,
                )

        self.app.push_screen(Confirm(question), answered)

    def action_clear(self) -> None:
        from tui.screens.confirm import Confirm

        board = self.board
        if board is None:
            return
        question = (
            f"Clear the queue of {board.profile_name}? All {board.stats.total:,} queued "
            "customers are dropped, failed ones too; nothing is exported for them."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_action_in_thread(  # type: ignore[attr-defined]
                    lambda s: s.queue_clear(board.profile_id),
                    then_with=lambda n: self.notify(f"{n:,} customer(s) dropped from the queue"),
                    then=self.poll_now,
                )
            elif yes is False:
                self.notify("not cleared: the typed word did not match", severity="warning")

        self.app.push_screen(Confirm(question, typed=board.profile_name), answered)

    def action_choose_profile(self) -> None:
        from tui.screens.ask import Choose

        app: Any = self.app

        def listed(profiles: Any) -> None:
            def chosen(choice: str | None) -> None:
                if choice is not None:
                    self.show_profile(int(choice))

            app.push_screen(
                Choose("Queue of which profile?", [(str(p.id), p.name) for p in profiles]), chosen
            )

        app.run_action_in_thread(lambda s: s.profiles(), then_with=listed)

    def show_profile(self, profile_id: int) -> None:
        """Show another profile's queue (the dashboard's ``u`` comes here)."""
        if profile_id == self.profile_id:
            return
        self.profile_id = profile_id
        self.marked.clear()
        self.poll_now()

    def copy_id(self) -> str | None:
        return self.query_one(KeyTable).current_key
