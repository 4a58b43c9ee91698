"""Widgets the screens share: the status header and the meters."""

__all__ = ["key_table", "meters", "status_header"]
