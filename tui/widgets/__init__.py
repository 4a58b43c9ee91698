"""Widgets the screens share: the status header and the meters."""

__all__ = ["key_table", "marked_checkbox", "meters", "status_header"]
