"""The plentysync terminal UI (Textual).

``app`` is the shell (header, tabs, palette, global keys, the embedded worker's lifecycle);
``screens`` holds one module per screen with its ``.tcss``; ``services`` is the one façade
over ``core`` and ``worker`` that every screen calls from a thread worker; ``polling`` is
the one-poll-in-flight pattern; ``widgets`` the shared pieces; ``snapshots`` the SVG
screenshots the app saves of itself.
"""

__all__ = ["app", "commands", "log_panel", "polling", "screens", "services", "widgets"]
