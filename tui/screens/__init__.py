"""The TUI's screens, one module each with its ``.tcss``.

``NUMBERED`` lists the top-level screens reached with the number keys, in order; each entry
is (key, name, title, module, class). A new screen adds itself here and nowhere else: the
app builds its bindings, its tab line and its palette entries from this list.
"""

from __future__ import annotations

__all__ = [
    "NUMBERED",
    "ask",
    "client_form",
    "confirm",
    "connections",
    "customer_conflicts",
    "customers",
    "dashboard",
    "dry_run",
    "form",
    "profile_editor",
    "profiles",
    "queue",
    "run_detail",
    "run_dialog",
    "run_view",
    "runs",
    "schedule_form",
    "source_form",
    "text_view",
]

NUMBERED: tuple[tuple[str, str, str, str, str], ...] = (
    ("1", "dashboard", "Dashboard", "tui.screens.dashboard", "DashboardScreen"),
    ("2", "runs", "Runs", "tui.screens.runs", "RunsScreen"),
    ("3", "queue", "Queue", "tui.screens.queue", "QueueScreen"),
    ("4", "profiles", "Profiles", "tui.screens.profiles", "ProfilesScreen"),
    ("5", "connections", "Connections", "tui.screens.connections", "ConnectionsScreen"),
    ("6", "customers", "Customers", "tui.screens.customers", "CustomersScreen"),
)
