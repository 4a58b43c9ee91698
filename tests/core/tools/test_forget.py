"""forget: one customer's links, run items, queue items and log lines go; nothing else does."""

from __future__ import annotations

import stat
from collections.abc import Callable

from core.db.connection import write_transaction
from core.db.models import AddressLink, CustomerLink, Profile, QueueItem, RunItem
from core.tools.forget import forget_customer, mentions
from core.tools.request_log import log_files, release_log
from tests.core.export.conftest import Shop, export
from tests.core.tools.conftest import clean_ids

LOGS_ON = {"log": {"is_active_request_log": True, "is_active_response_log": True}}


def test_forget_removes_one_customer_and_says_what(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile(LOGS_ON)
    gone, kept = clean_ids(shop, 2)
    export(profile, guests=False, entity_ids=[gone, kept])
    with write_transaction():
        QueueItem.create(profile=profile, entity_type="customer", entity_key=str(gone))
        QueueItem.create(profile=profile, entity_type="customer", entity_key=str(kept))
    contact = CustomerLink.get(CustomerLink.entity_key == str(gone)).contact_id
    [path] = log_files()
    release_log(path)
    lines_before = path.read_text().splitlines()
    pattern = mentions(f"shop-eu:c:{gone}", [contact])
    assert any(pattern.search(line) for line in lines_before)

    result = forget_customer(profile, gone)

    assert result.links == 1 and result.contact_ids == [contact]
    assert result.address_links >= 1 and result.run_items == 1 and result.queue_items == 1
    assert result.log_lines == sum(1 for line in lines_before if pattern.search(line))
    assert f"removed 1 links (contacts {contact})" in result.describe()
    assert CustomerLink.get_or_none(CustomerLink.entity_key == str(gone)) is None
    assert not RunItem.select().where(RunItem.entity_key == str(gone)).exists()
    assert not QueueItem.select().where(QueueItem.entity_key == str(gone)).exists()
    lines_after = path.read_text().splitlines()
    assert not any(pattern.search(line) for line in lines_after)
    assert len(lines_after) == len(lines_before) - result.log_lines
    assert any(f"shop-eu:c:{kept}" in line for line in lines_after)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    link = CustomerLink.get(CustomerLink.entity_key == str(kept))
    assert AddressLink.select().where(AddressLink.customer_link == link.id).exists()
    assert RunItem.select().where(RunItem.entity_key == str(kept)).exists()


def test_mentions_matches_whole_ids_only() -> None:
    pattern = mentions("shop-eu:c:4", [12])
    assert pattern.search('{"url": "/rest/accounts/contacts/12/addresses"}')
    assert pattern.search('{"request": {"externalId": "shop-eu:c:4"}}')
    assert pattern.search('{"response": {"contactId": 12}}')
    assert not pattern.search('{"url": "/rest/accounts/contacts/123"}')
    assert not pattern.search('{"request": {"externalId": "shop-eu:c:42"}}')
