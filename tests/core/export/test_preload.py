"""A batch's link rows read up front: each row answers its first read only."""

from __future__ import annotations

from core.db.models import AccountLink, AddressLink, CustomerLink
from core.export.preload import load_batch_links
from tests.worker.offline import offline_profile


def test_a_batch_reads_its_links_once_and_later_reads_go_to_the_database(db: str) -> None:
    client = offline_profile().client
    linked = CustomerLink.create(
        client=client, namespace="shop", entity_type="customer", entity_key="1", state="linked"
    )
    CustomerLink.create(client=client, namespace="other", entity_type="customer", entity_key="2")
    AddressLink.create(customer_link=linked, address_key="a1", type_id=1, address_id=10)
    AddressLink.create(customer_link=linked, address_key="a1", type_id=2, address_id=10)
    AccountLink.create(client=client, namespace="shop", account_key="acme", state="linked")
    entities = [("customer", "1"), ("customer", "2"), ("guest", "1")]
    loaded = load_batch_links(client.id, "shop", entities, ["acme", "acme", "globex"])

    read, row = loaded.take_link("customer", "1")
    assert read and row is not None and row.id == linked.id
    assert loaded.take_link("customer", "1") == (False, None)  # a second read: the database
    assert loaded.take_link("customer", "2") == (True, None)  # another namespace's row
    assert loaded.take_link("guest", "1") == (True, None)
    assert loaded.take_link("customer", "9") == (False, None)  # not in the batch
    stored = loaded.take_addresses(linked.id)
    assert stored is not None and sorted((a.type_id, a.address_id) for a in stored) == [
        (1, 10),
        (2, 10),
    ]
    assert loaded.take_addresses(linked.id) is None
    read, account = loaded.take_account("acme")
    assert read and account is not None and account.state == "linked"
    # The second customer of the same account reads it fresh: the first may have changed it.
    assert loaded.take_account("acme") == (False, None)
    assert loaded.take_account("globex") == (True, None)
