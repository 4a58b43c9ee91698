"""Customer ids as a person writes them."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.services.ids import parse_entity_ids


def test_lists_and_ranges_become_distinct_ascending_ids() -> None:
    ids = parse_entity_ids("9, 1-3,2,,5-5")
    assert ids.ids == (1, 2, 3, 5, 9) and len(ids) == 5
    assert ids.keys() == ["1", "2", "3", "5", "9"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a-b", "write ids and ranges"),
        ("5-1", "the range 5-1 is not usable"),
        ("1-20000000", "is not usable"),
        (" , ", "names no customer"),
    ],
)
def test_unreadable_ids_are_an_input_error(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_entity_ids(text)
