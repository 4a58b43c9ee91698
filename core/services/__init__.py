"""Core services: what every front end (CLI, TUI) calls, blocking, returning frozen views.

The TUI's own read models live here too: ``dashboard`` (a row per profile, sparklines and
budget meters, built on what ``plentysync status`` reads), ``explain`` (why a profile is or
is not running) and ``progress`` (one run's counts, speed and ETAs).
"""

__all__ = ["dashboard", "explain", "progress"]
