"""The incremental bookmark and the keyset scans built on it (no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.errors import ConfigError
from core.magento import UpdatedCursor
from core.magento._scan import Item, scan_by_id, scan_by_page, scan_changes
from core.magento._search import Filter, Search

T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
T1 = datetime(2024, 5, 1, 10, 0, 1, tzinfo=UTC)


def test_cursor_moves_to_the_latest_second_and_remembers_its_ids():
    cursor = UpdatedCursor().after([(5, T0), (3, T1), (9, T1)])

    assert cursor == UpdatedCursor(T1, frozenset({3, 9}))
    assert cursor.is_seen(9, T1)
    assert not cursor.is_seen(9, T0)
    assert not cursor.is_seen(4, T1)


def test_cursor_keeps_earlier_ids_of_the_same_second():
    cursor = UpdatedCursor(T1, frozenset({3})).after([(7, T1)])

    assert cursor.seen == {3, 7}


def test_cursor_never_moves_back():
    cursor = UpdatedCursor(T1, frozenset({3})).after([(8, T0)])

    assert cursor == UpdatedCursor(T1, frozenset({3}))


def test_cursor_survives_the_database_round_trip():
    cursor = UpdatedCursor(T1, frozenset({9, 3}))

    stored = cursor.to_json()

    assert stored == {"since": "2024-05-01 10:00:01", "seen": [3, 9]}
    assert UpdatedCursor.from_json(stored) == cursor
    assert UpdatedCursor.from_json(None) == UpdatedCursor()


def test_cursor_refuses_fractions_of_a_second():
    with pytest.raises(ConfigError):
        UpdatedCursor(datetime(2024, 5, 1, 10, 0, 0, 500, tzinfo=UTC))


def test_search_parameters_use_magentos_bracket_syntax():
    search = Search(
        filters=(Filter("updated_at", "2024-05-01 10:00:00", "gteq"), Filter("id", "3")),
        sort=(("updated_at", "ASC"), ("entity_id", "ASC")),
        page_size=50,
        fields="items[id],total_count",
    )

    assert search.params() == [
        ("searchCriteria[filter_groups][0][filters][0][field]", "updated_at"),
        ("searchCriteria[filter_groups][0][filters][0][value]", "2024-05-01 10:00:00"),
        ("searchCriteria[filter_groups][0][filters][0][condition_type]", "gteq"),
        ("searchCriteria[filter_groups][1][filters][0][field]", "id"),
        ("searchCriteria[filter_groups][1][filters][0][value]", "3"),
        ("searchCriteria[filter_groups][1][filters][0][condition_type]", "eq"),
        ("searchCriteria[sortOrders][0][field]", "updated_at"),
        ("searchCriteria[sortOrders][0][direction]", "ASC"),
        ("searchCriteria[sortOrders][1][field]", "entity_id"),
        ("searchCriteria[sortOrders][1][direction]", "ASC"),
        ("searchCriteria[pageSize]", "50"),
        ("searchCriteria[currentPage]", "1"),
        ("fields", "items[id],total_count"),
    ]


def _answers(*pages: list[Item]):
    queue = list(pages)
    asked: list[Search] = []

    def fetch(search: Search) -> tuple[list[Item], int | None]:
        asked.append(search)
        return queue.pop(0), None

    return fetch, asked


def test_id_scan_stops_on_a_short_page_without_asking_again():
    fetch, asked = _answers([{"id": 1}, {"id": 2}], [{"id": 3}])

    pages = list(scan_by_id(fetch, page_size=2, key="id", fields=None))

    assert [[i["id"] for i in page] for page in pages] == [[1, 2], [3]]
    assert [s.filters[-1].value for s in asked] == ["0", "2"]
    assert all(s.current_page == 1 for s in asked)


def test_id_scan_refuses_a_shop_that_ignores_the_filter():
    # A shop ignoring ``entity_id gt`` would answer the first page forever.
    fetch, _ = _answers([{"id": 1}, {"id": 2}], [{"id": 1}, {"id": 2}])

    with pytest.raises(ConfigError, match="out of order"):
        list(scan_by_id(fetch, page_size=2, key="id", fields=None))


def test_page_scan_ends_when_the_shop_repeats_the_last_page():
    fetch, asked = _answers([{"id": 0}, {"id": 1}], [{"id": 0}, {"id": 1}])

    pages = list(scan_by_page(fetch, page_size=2, key="id", sort_field="id"))

    assert len(pages) == 1
    assert [s.current_page for s in asked] == [1, 2]


def _change(record_id: int, second: int) -> Item:
    return {"id": record_id, "updated_at": f"2024-05-01 10:00:{second:02d}"}


def test_change_scan_rereads_only_the_last_second_of_each_page():
    fetch, asked = _answers(
        [_change(1, 0), _change(4, 1)],
        [_change(4, 1), _change(2, 2)],  # >= :01 again: 4 was handed out already
        [_change(2, 2)],  # >= :02: only the record already handed out, short page
    )

    pages = list(scan_changes(fetch, UpdatedCursor(), page_size=2, key="id", fields=None))

    assert [[i["id"] for i in p.items] for p in pages] == [[1, 4], [2]]
    assert pages[-1].cursor == UpdatedCursor(T0.replace(second=2), frozenset({2}))
    assert [(f.condition, f.value) for s in asked[1:] for f in s.filters] == [
        ("gteq", "2024-05-01 10:00:01"),
        ("gteq", "2024-05-01 10:00:02"),
    ]


def test_change_scan_walks_a_crowded_second_by_id_then_moves_on():
    fetch, asked = _answers(
        [_change(4, 1), _change(6, 1)],  # a full page all in second :01
        [_change(7, 1), _change(9, 1)],  # rest of second :01 after id 6
        [],  # rest of second :01 after id 9: nothing
        [_change(2, 2)],  # updated_at > :01
    )

    pages = list(scan_changes(fetch, UpdatedCursor(), page_size=2, key="id", fields=None))

    assert [[i["id"] for i in p.items] for p in pages] == [[4, 6], [7, 9], [2]]
    assert pages[1].cursor == UpdatedCursor(T1, frozenset({4, 6, 7, 9}))
    assert [(f.field, f.condition, f.value) for f in asked[1].filters] == [
        ("updated_at", "eq", "2024-05-01 10:00:01"),
        ("entity_id", "gt", "6"),
    ]
    assert [(f.field, f.condition) for f in asked[3].filters] == [("updated_at", "gt")]


def test_change_scan_rereads_the_cursor_second_and_skips_what_it_saw():
    fetch, asked = _answers(
        [_change(3, 1), _change(5, 1)],  # second :01 again; 5 is new since the last run
    )
    cursor = UpdatedCursor(T1, frozenset({3}))

    pages = list(scan_changes(fetch, cursor, page_size=10, key="id", fields=None))

    assert [[i["id"] for i in p.items] for p in pages] == [[5]]
    assert pages[0].cursor == UpdatedCursor(T1, frozenset({3, 5}))
    assert asked[0].filters[0].condition == "gteq"
    assert len(asked) == 1


def test_change_scan_refuses_changes_older_than_asked_for():
    fetch, _ = _answers([_change(3, 0)])

    with pytest.raises(ConfigError, match="out of order"):
        list(scan_changes(fetch, UpdatedCursor(T1), page_size=10, key="id", fields=None))
