"""Every rule against the sandbox dataset, dirty records included: each kind of damage ends as
its own clear message, and clean records map without a complaint."""

from __future__ import annotations

import pytest

from core.errors import DataError
from core.magento import Customer
from core.mapping import (
    MappingContext,
    PlentyReference,
    customer_addresses,
    map_account,
    map_customer,
)
from sandbox.data import Dataset, DatasetConfig, DirtyKind
from sandbox.plenty.countries import country_entries
from tests.core.mapping.conftest import SHOP

COUNT = 1500
DATASET = Dataset(DatasetConfig(customers=COUNT, seed=11, dirty_share=0.08))
PLENTY = PlentyReference.from_config(
    {
        "countries": [
            {"id": c["id"], "iso2": c["isoCode2"], "states": c.get("states", [])}
            for c in country_entries(with_states=True)
        ],
    }
)

EXPECTED_ERROR = {
    DirtyKind.MARKUP_IN_NAME: "HTML markup",
    DirtyKind.OVERLONG_FIELDS: "characters long",
}
EXPECTED_WARNING = {
    DirtyKind.EMPTY_STREET: "the street is empty",
    DirtyKind.UNKNOWN_COUNTRY: "country ZZ is not in PlentyONE's country table",
}


@pytest.fixture
def full_ctx(make_ctx) -> MappingContext:  # type: ignore[no-untyped-def]
    ctx: MappingContext = make_ctx(
        store={
            "is_active_store_filter": False,
            "store_mapping": [{"store_id": "*", "plenty_id": 1, "locale": "en"}],
        }
    )
    return MappingContext(settings=ctx.settings, plenty=PLENTY, shop=SHOP, namespace="shop-eu")


def _outcome(record: Customer, ctx: MappingContext) -> tuple[str | None, list[str]]:
    try:
        contact = map_customer(record, ctx)
    except DataError as exc:
        return str(exc), []
    _, warnings = customer_addresses(record, ctx, contact)
    _account, account_warnings = map_account(record, ctx, contact)
    return None, warnings + account_warnings


def test_every_kind_of_damage_is_named(full_ctx: MappingContext) -> None:
    seen: set[DirtyKind] = set()
    for i in range(1, COUNT + 1):
        kinds = DATASET.dirty(i)
        if not kinds:
            continue
        seen |= kinds
        record = Customer.model_validate(DATASET.customer(i))
        error, warnings = _outcome(record, full_ctx)
        for kind in kinds:
            if kind in EXPECTED_ERROR:
                assert error is not None and EXPECTED_ERROR[kind] in error, (i, kinds, error)
            elif kind in EXPECTED_WARNING and error is None:
                assert any(EXPECTED_WARNING[kind] in w for w in warnings), (i, kinds, warnings)
    assert seen == set(DirtyKind)


def test_clean_records_map_without_complaint(full_ctx: MappingContext) -> None:
    clean = [i for i in range(1, COUNT + 1) if not DATASET.dirty(i)]
    assert len(clean) > COUNT * 0.8
    for i in clean:
        record = Customer.model_validate(DATASET.customer(i))
        error, warnings = _outcome(record, full_ctx)
        assert error is None and warnings == [], (i, error, warnings)


def test_noisy_emails_map_to_their_clean_form(full_ctx: MappingContext) -> None:
    noisy = [i for i in range(1, COUNT + 1) if DATASET.dirty(i) == {DirtyKind.EMAIL_NOISE}]
    assert noisy
    for i in noisy:
        raw = DATASET.customer(i)["email"]
        assert (
            map_customer(Customer.model_validate(DATASET.customer(i)), full_ctx).email
            == raw.strip().casefold()
        )
