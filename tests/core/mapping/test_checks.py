"""Local text and date checks: control characters, bidi controls, markup, length, birthdays."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import RecordError
from core.mapping.checks import LINE_BREAKS, checked_birthday, checked_text

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Mül\x00ler", "U+0000"),
        ("Jo\tAnn", "U+0009"),
        ("Jo\nAnn", "U+000A"),
        ("Jo\rAnn", "U+000D"),
        ("Ann\x1b[31m", "U+001B"),
        ("Ann\x1f", "U+001F"),
        ("Ann\x7f", "U+007F"),
        ("Ann\x85", "U+0085"),
        ("Ann\ud800", "U+D800"),
    ],
)
def test_a_control_character_fails_the_field_it_is_in(value: str, code: str) -> None:
    with pytest.raises(RecordError) as caught:
        checked_text(value, "the last name", field="lastname")
    assert caught.value.field == "lastname" and caught.value.value == value
    assert str(caught.value) == f"the last name (lastname) contains the control character {code}"


def test_line_breaks_may_be_allowed_where_they_separate_lines() -> None:
    assert checked_text("Haupt\tstr.\r\n 12", "street", allowed=LINE_BREAKS) == "Haupt str. 12"
    with pytest.raises(RecordError, match="U\\+0000"):
        checked_text("Haupt\x00str.", "street", allowed=LINE_BREAKS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u202eAnna\u202c", "Anna"),
        ("\u202aA\u202bn\u202dn\u2066a\u2067\u2068\u2069", "Anna"),
    ],
)
def test_bidi_embeddings_overrides_and_isolates_are_removed_with_a_warning(
    value: str, expected: str
) -> None:
    warnings: list[str] = []
    assert checked_text(value, "the first name", field="firstname", warnings=warnings) == expected
    assert warnings == ["the first name (firstname): bidi override characters were removed"]


def test_the_marks_hebrew_and_arabic_names_need_are_kept() -> None:
    warnings: list[str] = []
    name = "\u05db\u05d4\u05df\u200f (\u200e2\u200e)"
    assert checked_text(name, "the last name", warnings=warnings) == name
    assert warnings == []


def test_only_bidi_controls_is_blank() -> None:
    assert checked_text("\u202e \u202c", "the first name", warnings=[]) is None


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_blank_text_is_none(value: str | None) -> None:
    assert checked_text(value, "the city") is None


def test_markup_and_overlong_text_name_the_field() -> None:
    with pytest.raises(RecordError, match=r"the first name \(firstname\) contains HTML markup"):
        checked_text("<b>Jane</b>", "the first name", field="firstname")
    with pytest.raises(RecordError, match="300 characters long, more than 255") as caught:
        checked_text("x" * 300, "the last name", field="lastname")
    assert caught.value.field == "lastname"


def test_history_shows_the_value_escaped_and_shortened() -> None:
    with pytest.raises(RecordError) as caught:
        checked_text("Mül\x00ler\u202e", "the last name", field="lastname")
    assert caught.value.in_history().endswith(r"(value 'Mül\x00ler\u202e')")
    assert "\x00" not in caught.value.message and "Mül" not in caught.value.message
    long = RecordError("too long", field="lastname", value="y" * 500)
    assert long.in_history() == f"too long (value '{'y' * 76}...)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1980-05-17", "1980-05-17"),
        ("1980-05-17 00:00:00", "1980-05-17"),
        (" 1980-05-17T00:00:00 ", "1980-05-17"),
        ("1900-01-01", "1900-01-01"),
        ("2026-12-01", "2026-12-01"),
        (None, None),
        ("  ", None),
    ],
)
def test_valid_birthdays_are_kept_as_dates(raw: str | None, expected: str | None) -> None:
    assert checked_birthday(raw, "dob", TODAY) == expected


@pytest.mark.parametrize(
    "raw", ["1985-02-30", "0000-00-00", "17.05.1980", "1980-5-17", "1980-05-17x", "1899-12-31"]
)
def test_invalid_birthdays_fail_naming_the_field(raw: str) -> None:
    with pytest.raises(RecordError, match=r"date of birth \(dob\)") as caught:
        checked_birthday(raw, "dob", TODAY)
    assert caught.value.field == "dob" and caught.value.value == raw


def test_a_birthday_in_the_future_fails() -> None:
    with pytest.raises(RecordError, match="2026-12-02 is not plausible"):
        checked_birthday("2026-12-02", "dob", TODAY)
