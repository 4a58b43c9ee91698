"""Settings and records as text: headings, key: value lines, nothing hidden in JSON."""

from __future__ import annotations

import datetime as dt

from cli.readable import field_lines, settings_lines
from cli.tables import cell


def test_sections_become_headings_and_lists_of_records_one_line_each() -> None:
    lines = settings_lines(
        {
            "store": {
                "referrer_id": 1.5,
                "store_mapping": [{"store_id": 1, "plenty_id": 12345, "locale": "de"}],
                "website_referrers": [],
            },
            "event": {},
        }
    )
    assert lines == [
        "",
        "store",
        "  referrer_id: 1.5",
        "  store_mapping:",
        "    - store_id=1, plenty_id=12345, locale=de",
        "  website_referrers: -",
        "",
        "event",
        "  (nothing set)",
    ]


def test_nested_mappings_are_indented_and_flags_read_as_words() -> None:
    shown = {"name": "erp", "budget": {"write_per_minute": 30}, "active": False, "note": None}
    assert field_lines(shown) == [
        "name: erp",
        "budget:",
        "  write_per_minute: 30",
        "active: false",
        "note: -",
    ]


def test_table_cells() -> None:
    assert cell(None).plain == "-" and cell(True).plain == "yes"
    assert cell(["eu", "fr"]).plain == "eu, fr" and cell([]).plain == "-"
    assert cell(dt.datetime(2026, 1, 2, 3, 4, 5)).plain == "2026-01-02 03:04:05"
    assert cell("[bold]x[/]").plain == "[bold]x[/]"  # text, never markup
