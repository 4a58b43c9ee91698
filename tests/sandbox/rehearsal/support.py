"""The fixture exports: a shop with three websites, written for these tests."""

from __future__ import annotations

from pathlib import Path

EXPORTS = Path(__file__).parent / "exports"
CUSTOMERS_CSV = EXPORTS / "customers.csv"  # UTF-8 with a byte-order mark, as Excel saves it
ADDRESSES_CSV = EXPORTS / "addresses.csv"  # Windows-1252 with CRLF line ends
FIXTURE = [CUSTOMERS_CSV, ADDRESSES_CSV]

# What the main file holds in its secret columns: none of it may be kept anywhere.
SECRET_MARKERS = ("9c4e2a71", "saltx0", "3_32_2_67108864", "rQ8rQ8", "sso-7f3a9e")
