"""Dirty records: a controlled share, named by ``dirty_kinds``, and really broken."""

from __future__ import annotations

from datetime import datetime

from sandbox.data import Dataset, DatasetConfig, DirtyKind, MutationKind, dirty_kinds
from sandbox.data.dirty import OVERLONG_LENGTH, UNKNOWN_COUNTRY_ID

N = 2000


def _dataset(share: float = 0.1) -> Dataset:
    return Dataset(DatasetConfig(customers=N, seed=21, dirty_share=share))


def test_share_of_dirty_records_follows_the_setting() -> None:
    for share in (0.0, 0.05, 0.2):
        dirty = sum(1 for i in range(1, N + 1) if dirty_kinds(21, i, share))
        assert abs(dirty / N - share) < 0.03


def test_every_kind_occurs_and_is_visible_in_the_record() -> None:
    dataset = _dataset()
    seen: set[DirtyKind] = set()
    for i in range(1, N + 1):
        kinds = dataset.dirty(i)
        if not kinds:
            continue
        seen |= kinds
        c = dataset.customer(i)
        assert c is not None
        first = c["addresses"][0] if c["addresses"] else {}
        if DirtyKind.EMPTY_STREET in kinds:
            assert first["street"] == [""]
        if DirtyKind.UNKNOWN_COUNTRY in kinds:
            assert first["country_id"] == UNKNOWN_COUNTRY_ID
        if DirtyKind.OVERLONG_FIELDS in kinds:
            assert len(c["lastname"]) >= OVERLONG_LENGTH
        if DirtyKind.MARKUP_IN_NAME in kinds:
            assert "<" in c["firstname"] and "<script>" in c["lastname"]
        if DirtyKind.EMOJI in kinds:
            assert "😀" in c["firstname"]
        if DirtyKind.EMAIL_NOISE in kinds:
            assert c["email"] != c["email"].strip() and c["email"] != c["email"].lower()
        if DirtyKind.SHARED_EMAIL in kinds:
            partner = dataset.customer(i - 1)
            assert partner is not None
            assert c["email"].strip().lower() == partner["email"].strip().lower()
            assert c["website_id"] != partner["website_id"]
    assert seen == set(DirtyKind)


def test_clean_records_are_clean() -> None:
    dataset = _dataset()
    for i in range(1, 300):
        if dataset.dirty(i):
            continue
        c = dataset.customer(i)
        assert c is not None
        assert c["email"] == c["email"].strip()
        assert "<" not in c["firstname"] + c["lastname"]
        assert all(a["street"][0] for a in c["addresses"])


def test_mutation_moves_updated_at_and_shares_one_second() -> None:
    moment = datetime(2031, 1, 2, 3, 4, 5)
    dataset = Dataset(DatasetConfig(customers=200, seed=2), clock=lambda: moment)
    before = {i: dataset.customer(i) for i in range(1, 201)}
    done = dataset.mutate(12)
    assert len({m.customer_id for m in done}) == 12
    for m in done:
        after = dataset.customer(m.customer_id)
        assert after is not None and after["updated_at"] == "2031-01-02 03:04:05"
        old = before[m.customer_id]
        assert old is not None
        if m.kind is MutationKind.NAME:
            assert after["lastname"] != old["lastname"]
        elif m.kind is MutationKind.GROUP:
            assert after["group_id"] != old["group_id"]
        else:
            assert len(after["addresses"]) == len(old["addresses"]) + 1
    untouched = set(range(1, 201)) - {m.customer_id for m in done}
    assert all(dataset.customer(i) == before[i] for i in untouched)


def test_repeated_mutations_are_deterministic_and_never_go_back_in_time() -> None:
    moment = datetime(2020, 1, 1)  # before the generated timestamps: must still move forward
    first = Dataset(DatasetConfig(customers=100, seed=4), clock=lambda: moment)
    second = Dataset(DatasetConfig(customers=100, seed=4), clock=lambda: moment)
    a, b = first.mutate(5), second.mutate(5)
    assert a == b
    for m in a:
        original = Dataset(DatasetConfig(customers=100, seed=4)).customer(m.customer_id)
        assert original is not None and m.updated_at > original["updated_at"]


def test_delete_leaves_gaps_and_reset_restores() -> None:
    dataset = _dataset()
    assert dataset.delete(3) and not dataset.delete(3)
    assert dataset.customer(3) is None
    assert list(dataset.ids(1, 5)) == [1, 2, 4, 5]
    dataset.reset()
    assert dataset.customer(3) is not None
