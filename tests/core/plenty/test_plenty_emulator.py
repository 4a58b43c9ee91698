"""The client against the PlentyONE emulator over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import MultiFernet

from core.errors import NotFoundError, ValidationError
from core.plenty import BILLING, DELIVERY, Budget, PlentyClient, PlentyConfig, Timeouts
from core.secrets import Secret
from sandbox.plenty import RateLimits, SandboxConfig, create_app
from sandbox.server import RunningServer, serve_in_thread

# Generous budgets: these tests are about behaviour, not pacing.
ROOMY = Budget(6000, 6000, 1_000_000, 1_000_000)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    limits = RateLimits(short_read=6000, short_write=6000, long_read=10**6, long_write=10**6)
    with serve_in_thread(create_app(SandboxConfig(limits=limits))) as running:
        yield running


@pytest.fixture
def client(server: RunningServer, cipher: MultiFernet) -> Iterator[PlentyClient]:
    httpx.post(f"{server.base_url}/_sandbox/reset").raise_for_status()
    config = PlentyConfig(
        base_url=server.base_url,
        username="api-user",
        password=Secret("api-password"),
        budget=ROOMY,
        timeouts=Timeouts(connect=5, read=10, write=5, pool=5),
    )
    with PlentyClient(config, cipher=cipher) as plenty:
        yield plenty


def new_contact(external_id: str, email: str, **fields: Any) -> dict[str, Any]:
    return {
        "typeId": 1,
        "referrerId": 1.0,
        "plentyId": 12345,
        "lang": "de",
        "externalId": external_id,
        "firstName": "Jane",
        "lastName": "Doe",
        "gender": "female",
        "options": [{"typeId": 2, "subTypeId": 4, "value": email, "priority": 0}],
        **fields,
    }


def stats(server: RunningServer) -> dict[str, Any]:
    return httpx.get(f"{server.base_url}/_sandbox/stats").json()


def test_contact_round_trip(client: PlentyClient) -> None:
    created = client.contacts.create(new_contact("shop-eu:1", "jane@example.com"))
    assert created.id > 0 and created.externalId == "shop-eu:1"
    fetched = client.contacts.get(created.id)
    assert fetched.email == "jane@example.com" and fetched.referrerId == 1.0
    updated = client.contacts.update(created.id, {"lastName": "Smith"})
    assert updated.lastName == "Smith"
    assert client.contacts.get(created.id).fullName == "Jane Smith"
    client.contacts.delete(created.id)
    with pytest.raises(NotFoundError):
        client.contacts.get(created.id)


def test_a_refused_create_names_the_missing_fields(client: PlentyClient) -> None:
    with pytest.raises(ValidationError) as caught:
        client.contacts.create({"firstName": "Jane"})
    assert {"typeId", "referrerId"} <= set(caught.value.fields)


def test_addresses_are_created_linked_listed_and_unlinked(client: PlentyClient) -> None:
    contact = client.contacts.create(new_contact("shop-eu:2", "max@example.com"))
    street = {
        "name2": "Max",
        "name3": "Muster",
        "address1": "Hauptstraße",
        "address2": "5",
        "postalCode": "34117",
        "town": "Kassel",
        "countryId": 1,
        "options": [{"typeId": 2, "value": "mage-addr-9"}],
    }
    billing = client.addresses.create(contact.id, street, type_id=BILLING, is_primary=True)
    assert billing.option(2) == "mage-addr-9"
    delivery = client.addresses.create(
        contact.id, {**street, "address2": "7"}, type_id=DELIVERY, is_primary=True
    )
    assert {a.id for a in client.addresses.of_contact(contact.id)} == {billing.id, delivery.id}
    assert [a.id for a in client.addresses.of_contact(contact.id, type_id=DELIVERY)] == [
        delivery.id
    ]
    relations = list(client.addresses.relations(contact.id))
    assert {(r.addressId, r.typeId, r.isPrimary) for r in relations} == {
        (billing.id, BILLING, True),
        (delivery.id, DELIVERY, True),
    }
    changed = client.addresses.update(contact.id, billing.id, {"town": "Berlin"})
    assert changed.town == "Berlin"
    extra = client.addresses.add_options(billing.id, [{"typeId": 4, "value": "+49 30 1"}])
    assert {o.typeId for o in client.addresses.options(billing.id)} >= {2, extra[0].typeId}
    client.addresses.unlink(contact.id, delivery.id, type_id=DELIVERY)
    assert [a.id for a in client.addresses.of_contact(contact.id)] == [billing.id]
    rel = next(client.addresses.relations(contact.id))
    client.addresses.delete_relation(rel.id or 0)
    assert list(client.addresses.relations(contact.id)) == []


def test_accounts_are_created_and_linked(client: PlentyClient) -> None:
    contact = client.contacts.create(new_contact("shop-eu:3", "b2b@example.com"))
    account = client.accounts.create_for_contact(contact.id, {"companyName": "ACME GmbH"})
    assert client.accounts.get(account.id).companyName == "ACME GmbH"
    other = client.contacts.create(new_contact("shop-eu:4", "b2b2@example.com"))
    relation = client.accounts.link_contact(account.id, other.id)
    assert (relation.accountId, relation.contactId) == (account.id, other.id)
    assert [a.id for a in client.contacts.get(other.id, with_=["accounts"]).accounts] == [
        account.id
    ]
    standalone = client.accounts.create({"companyName": "Other AG", "taxIdNumber": "DE1"})
    assert client.accounts.update(standalone.id, {"companyName": "Other SE"}).companyName == (
        "Other SE"
    )
    assert {a.id for a in client.accounts.iterate()} >= {account.id, standalone.id}


def test_contacts_are_paged_lazily(client: PlentyClient, server: RunningServer) -> None:
    for n in range(23):
        client.contacts.create(new_contact(f"shop-eu:p{n}", f"p{n}@example.com"))
    pages = client.contacts.pages(items_per_page=5)
    reads_before = client.calls.read
    first = next(pages)
    assert client.calls.read == reads_before + 1
    assert len(first.entries) == 5 and first.info.totalsCount == 23
    rest = list(pages)
    assert [len(p.entries) for p in rest] == [5, 5, 5, 3]
    assert client.calls.read == reads_before + 5
    ids = [c.id for c in client.contacts.iterate(items_per_page=7)]
    assert len(ids) == len(set(ids)) == 23


def test_lookups_compare_exactly(client: PlentyClient) -> None:
    jane = client.contacts.create(new_contact("shop-eu:10", "jane@example.com"))
    client.contacts.create(new_contact("shop-eu:100", "ajane@example.com"))
    client.contacts.create(new_contact("shop-eu:11", "jane@example.com.au"))
    guest = client.contacts.create(new_contact("shop-eu:12", "JANE@example.com", singleAccess=True))
    assert [c.id for c in client.contacts.find_by_external_id("shop-eu:10")] == [jane.id]
    assert client.contacts.find_by_external_id("shop-eu:1") == []
    assert [c.id for c in client.contacts.find_by_identity("shop-eu:10")] == [jane.id]
    assert {c.id for c in client.contacts.find_by_email(" Jane@Example.com")} == {
        jane.id,
        guest.id,
    }
    assert [
        c.id for c in client.contacts.find_by_email("jane@example.com", include_guests=False)
    ] == [jane.id]
    converted = client.contacts.convert_guest(guest.id)
    assert not converted.is_guest


def test_reference_data(client: PlentyClient) -> None:
    assert {c.id: c.name for c in client.reference.contact_classes()}[1] == "Endkunde"
    assert {t.id for t in client.reference.contact_types()} >= {1, 2, 3, 4, 5, 6}
    referrers = {r.id for r in client.reference.referrers()}
    assert 4.01 in referrers and 1.0 in referrers
    created = client.reference.create_referrer("Magento EU")
    sub = client.reference.create_referrer("Magento EU B2B", parent_id=int(created.id))
    assert created.id not in referrers and sub.id == pytest.approx(created.id + 0.01)
    assert [r.id for r in client.reference.search_referrers(name="Magento EU")][:1] == [created.id]
    assert [w.plenty_id for w in client.reference.webstores()] == [12345]
    countries = {c.id: c for c in client.reference.countries()}
    assert (countries[1].isoCode2, countries[12].isoCode2, countries[265].isoCode2) == (
        "DE",
        "GB",
        "XI",
    )
    assert {t.id for t in client.reference.address_option_types()} >= {1, 2, 4, 5}
    assert client.reference.languages()["cz"] == "Czech"
